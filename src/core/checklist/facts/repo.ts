import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Located } from '../facts';

/** What a file's path alone says (docs, tests, platform configs, .env files). */
export interface PathClass {
  readme?: boolean;
  openApi?: boolean;
  architecture?: boolean;
  runbook?: boolean;
  onCall?: boolean;
  test?: boolean;
  integrationTest?: boolean;
  loadTest?: boolean;
  platform?: boolean;
  envFile?: boolean;
  coverageConfig?: boolean;
  secretsScanned?: boolean;
}

const TEST_FILE = /\.(test|spec|e2e-spec|e2e|int-spec|it)\.[cm]?[jt]sx?$/;
const TEST_DIR = /(^|\/)(test|tests|__tests__|e2e|spec|integration)\//;
const INTEGRATION = /(^|\/)(integration|e2e|api-tests?|acceptance)(\/|[.-])|\.(e2e-spec|e2e|int-spec|int\.test|integration\.test|it)\.[cm]?[jt]sx?$/i;
const PLATFORM = /^(Procfile|fly\.toml|app\.ya?ml|serverless\.ya?ml|vercel\.json|render\.ya?ml|railway\.json|railway\.toml|netlify\.toml|apprunner\.ya?ml|Dockerrun\.aws\.json|heroku\.yml|nixpacks\.toml|wrangler\.toml|\.platform\.app\.yaml)$/;
const SKIP_SECRETS = /(^|\/)(test|tests|__tests__|fixtures?|__fixtures__|mocks?|__mocks__|examples?|samples?|docs?|e2e|spec|testdata)\//i;

export function classifyPath(rel: string): PathClass {
  const base = path.posix.basename(rel);
  const lower = rel.toLowerCase();
  const ext = path.posix.extname(base).toLowerCase();
  const doc = ['.md', '.mdx', '.rst', '.txt', '.adoc', ''].includes(ext);
  return {
    readme: !rel.includes('/') && /^readme(\.(md|mdx|rst|txt|adoc))?$/i.test(base),
    openApi: /(^|[./-])(openapi|swagger)([.-][\w.-]*)?\.(ya?ml|json)$/i.test(base),
    architecture: (doc && /architecture|system-design|design-doc/i.test(lower)) || /(^|\/)(adr|adrs|decisions|architecture)\//i.test(lower) || /\.(drawio|puml|c4|dsl)$/i.test(base),
    runbook: doc && /run-?books?|play-?books?|incident|operations|ops-guide|troubleshoot/i.test(lower),
    onCall: doc && /on-?call|escalation|pagerduty|opsgenie|support-rotation/i.test(lower),
    test: TEST_FILE.test(base) || (TEST_DIR.test(rel) && /\.[cm]?[jt]sx?$/.test(base)),
    integrationTest: INTEGRATION.test(rel) && /\.[cm]?[jt]sx?$/.test(base),
    loadTest: /(^|\/|[._-])(k6|artillery|load-?tests?|loadtesting|stress|soak|locust)([._/-]|$)/i.test(rel) && /\.(js|ts|mjs|ya?ml|json|py)$/.test(base),
    platform: !rel.includes('/') && PLATFORM.test(base),
    envFile: /^\.env(\..+)?$/.test(base) && !/\.(example|sample|template|dist|defaults|schema|test|ci)$/i.test(base),
    coverageConfig: /^(jest|vitest|vite)\.config\.[cm]?[jt]s$|^\.nycrc(\.json|\.ya?ml)?$|^\.c8rc(\.json)?$|^jest\.config\.json$/.test(base),
    secretsScanned: !SKIP_SECRETS.test(rel) && !/\.(min\.js|map|lock|svg|png|jpg|ico|woff2?)$/.test(base) && base !== 'package-lock.json' && !TEST_FILE.test(base),
  };
}

const SECRET_PATTERNS: Array<{ kind: string; re: RegExp; ok?: (m: RegExpExecArray) => boolean }> = [
  { kind: 'AWS access key id', re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, ok: (m) => !/EXAMPLE/.test(m[0]) },
  { kind: 'private key', re: /-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----/ },
  { kind: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { kind: 'Slack token', re: /\bxox[baprs]-[A-Za-z0-9-]{10,}/ },
  { kind: 'Stripe live key', re: /\b(sk|rk)_live_[0-9a-zA-Z]{20,}/ },
  { kind: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  {
    // A connection string with a real-looking password to a real host name (not localhost or a compose service).
    kind: 'database URL with a password',
    re: /\b(postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?):\/\/[^:\s/@'"`]+:([^@\s'"`]{4,})@([^/\s:'"`]+)/,
    ok: (m) => m[3].includes('.') && !/^(localhost|127\.|0\.0\.0\.0|host\.docker\.internal)/.test(m[3]) && !/^(\$|<|\{|%|\*)|password|passw|secret|changeme|example|xxx|test|dummy|postgres|root|admin|pass$/i.test(m[2]),
  },
];

/** Secrets committed in a text file: one match per kind per file, with its 0-based line. */
export function findSecrets(file: string, text: string): Array<Located & { kind: string }> {
  const out: Array<Located & { kind: string }> = [];
  for (const { kind, re, ok } of SECRET_PATTERNS) {
    const m = re.exec(text);
    if (!m || (ok && !ok(m))) continue;
    out.push({ file, line: text.slice(0, m.index).split('\n').length - 1, kind });
  }
  return out;
}

/**
 * Paths recorded in the git index (.git/index, versions 2 and 3), read as data: running `git`
 * could execute hooks or an fsmonitor configured by an untrusted repository. Undefined when there
 * is no readable index (not a git checkout, a worktree file, index v4).
 */
export function gitIndexPaths(root: string): string[] | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(path.join(root, '.git', 'index'));
  } catch {
    return undefined;
  }
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return undefined;
  const count = buf.readUInt32BE(8);
  const out: string[] = [];
  let offset = 12;
  for (let i = 0; i < count && offset + 62 < buf.length; i++) {
    const flags = buf.readUInt16BE(offset + 60);
    const extended = version === 3 && (flags & 0x4000) !== 0;
    const nameStart = offset + 62 + (extended ? 2 : 0);
    const nameEnd = buf.indexOf(0, nameStart);
    if (nameEnd < 0) break;
    out.push(buf.toString('utf8', nameStart, nameEnd));
    // Entries are padded with NULs to a multiple of 8 bytes (1–8 NULs after the name).
    const entryLen = nameEnd - offset + 1;
    offset += Math.ceil(entryLen / 8) * 8;
  }
  return out;
}

/** 0-based line of the first `"key":` in a JSON text, for evidence in package.json. */
export function jsonKeyLines(text: string, keys: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split('\n');
  for (const key of keys) {
    const needle = `"${key}"`;
    const i = lines.findIndex((l) => l.includes(needle + ':') || l.includes(needle + ' :'));
    if (i >= 0) out.set(key, i);
  }
  return out;
}
