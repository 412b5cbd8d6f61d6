import * as path from 'node:path';
import type { CiFacts, Located } from '../facts';
import { parseYaml, strings } from './yamlFiles';

export function emptyCiFacts(): CiFacts {
  return { files: [], runsTests: [], runsMigrations: [], runsLoadTests: [], securityScans: [], dependencyBots: [] };
}

/** Which CI system a workspace-relative path configures, if any. */
export function ciSystemOf(rel: string): string | undefined {
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return 'GitHub Actions';
  if (/(^|\/)\.gitlab-ci\.ya?ml$/.test(rel) || /^\.gitlab\/ci\/.+\.ya?ml$/.test(rel)) return 'GitLab CI';
  if (rel === '.circleci/config.yml') return 'CircleCI';
  if (/^azure-pipelines\.ya?ml$/.test(rel)) return 'Azure Pipelines';
  if (rel === 'bitbucket-pipelines.yml') return 'Bitbucket Pipelines';
  if (/^Jenkinsfile(\..+)?$/.test(rel)) return 'Jenkins';
  if (rel === '.travis.yml') return 'Travis CI';
  if (/^\.drone\.ya?ml$/.test(rel)) return 'Drone';
  if (/^\.buildkite\/.+\.ya?ml$/.test(rel)) return 'Buildkite';
  if (/^cloudbuild\.ya?ml$/.test(rel)) return 'Cloud Build';
  if (rel === 'buildspec.yml') return 'CodeBuild';
  return undefined;
}

export function isDependencyBotConfig(rel: string): boolean {
  return /^\.github\/dependabot\.ya?ml$/.test(rel) || /^(\.github\/)?(renovate\.json5?|\.renovaterc(\.json)?)$/.test(rel) || rel === '.snyk';
}

const TEST = /\b(npm|pnpm|yarn|bun)\s+(run\s+)?(test|t)(\b|:)|\b(npx|pnpx|yarn|pnpm\s+exec|bunx)\s+(jest|vitest|mocha|ava|tap|playwright\s+test|cypress\s+run)\b|(^|[\s;&|])(jest|vitest|mocha|ava)(\s|$)|node\s+--test\b|\bturbo\s+(run\s+)?test\b|\bnx\s+(run-many\s+.*)?test\b/;
const MIGRATE = /\b(migrate|migration:run|migrations?:(up|latest|run)|db:migrate|prisma\s+migrate\s+deploy|dbmate\s+up|flyway)/i;
const LOAD = /\bk6\s+run\b|grafana\/(k6-action|run-k6-action|setup-k6-action)|artillery\s+run|\bautocannon\b|shipshape\s+loadtest|\bloadtest\b|\blocust\b/;
const SECURITY = /\b(npm|yarn|pnpm)\s+audit\b|\baudit-ci\b|better-npm-audit|\bsnyk\b|\btrivy\b|aquasecurity\/trivy|\bgrype\b|anchore\/|github\/codeql-action|\bcodeql\b|\bsemgrep\b|osv-scanner|\bgitleaks\b|trufflehog|dependency-check|zaproxy|\bsonar|Security\/(SAST|Dependency-Scanning|Secret-Detection|Container-Scanning)|actions\/dependency-review-action|socketdev|\bnsp\b/i;

/**
 * Commands a CI file runs (every string in a YAML pipeline; each line of a Jenkinsfile), and the
 * package.json scripts they call expanded two levels deep, classified as tests, migrations, load
 * tests and security scans.
 */
export function readCiFile(file: string, rel: string, text: string, scripts: Record<string, string>): { facts: CiFacts; problem?: Located & { note: string } } {
  const facts = emptyCiFacts();
  const system = ciSystemOf(rel) ?? 'CI';
  facts.files.push({ file, line: 0, system });
  let commands: Array<{ text: string; line: number }>;
  let problem: (Located & { note: string }) | undefined;
  if (system === 'Jenkins') commands = text.split('\n').map((t, line) => ({ text: t, line }));
  else {
    const parsed = parseYaml(text);
    if (parsed.error) problem = { file, line: parsed.error.line, note: `${path.basename(file)} is not valid YAML at line ${parsed.error.line + 1} (${parsed.error.message}); what it runs could not be read. Fix the syntax.` };
    commands = parsed.docs.flatMap((d) => strings(d.doc.contents, d.at));
  }
  for (const c of commands) {
    const expanded = expandScripts(c.text, scripts);
    const hit = (re: RegExp) => re.test(c.text) || expanded.some((e) => re.test(e));
    const at = { file, line: c.line, text: c.text.trim().split('\n')[0].slice(0, 100) };
    if (hit(TEST)) facts.runsTests.push(at);
    if (hit(MIGRATE)) facts.runsMigrations.push(at);
    if (hit(LOAD)) facts.runsLoadTests.push(at);
    if (hit(SECURITY)) facts.securityScans.push(at);
  }
  return { facts, problem };
}

/** `npm run ci` → the text of the `ci` script, and the scripts it runs in turn. */
export function expandScripts(command: string, scripts: Record<string, string>, depth = 0): string[] {
  if (depth > 2) return [];
  const out: string[] = [];
  const re = /\b(?:npm\s+run(?:-script)?|pnpm(?:\s+run)?|yarn(?:\s+run)?|bun\s+run)\s+([\w:.-]+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) {
    const body = scripts[m[1]];
    if (typeof body === 'string') out.push(body, ...expandScripts(body, scripts, depth + 1));
  }
  // `npm test`, `npm start` and friends run scripts without `run`.
  for (const name of ['test', 'start']) {
    if (new RegExp(`\\b(npm|pnpm|yarn|bun)\\s+${name}\\b`).test(command) && typeof scripts[name] === 'string') out.push(scripts[name]);
  }
  return out;
}

export const CI_PATTERNS = { TEST, MIGRATE, LOAD, SECURITY };

export function mergeCiFacts(parts: Iterable<CiFacts>): CiFacts {
  const out = emptyCiFacts();
  for (const p of parts) for (const key of Object.keys(out) as Array<keyof CiFacts>) (out[key] as unknown[]).push(...(p[key] as unknown[]));
  return out;
}
