import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import schema from '../../schemas/shipshape.config.schema.json';
import type { Severity } from './finding';

export const CONFIG_FILE = 'shipshape.config.json';

export type RuleSetting = Severity | 'off';

export interface RuleConfig {
  severity?: RuleSetting;
  options: Record<string, unknown>;
}

export interface Config {
  rules: Record<string, RuleConfig>;
  include: string[];
  exclude: string[];
  migrations: string[];
  healthPaths: string[];
  loadtest: Record<string, unknown>;
  checklist: Record<string, unknown>;
  /** Synthetic rows for explain (`scale.defaultRows`, `scale.tables`); read by core/explain/settings.ts. */
  scale: Record<string, unknown>;
  /** Explain settings (`explain.databaseUrl`); read by core/explain/settings.ts. */
  explain: Record<string, unknown>;
}

/** A problem with the user's configuration: where it is and what to do about it. */
export interface ConfigProblem {
  file: string;
  /** JSON pointer-ish key path, e.g. `rules.n-plus-one`. Empty for the whole file. */
  key: string;
  message: string;
}

export const DEFAULT_HEALTH_PATHS = ['/health', '/healthz', '/livez', '/readyz', '/health/live', '/health/ready', '/ping', '/status'];

export const DEFAULT_MIGRATION_GLOBS = [
  '**/migrations/**/*.sql',
  '**/migration/**/*.sql',
  '**/db/migrate/**/*.sql',
  '**/V*__*.sql',
  '**/R__*.sql',
  '**/*.up.sql',
  '**/sql/**/*.sql',
  '**/drizzle/**/*.sql',
  // TypeORM, Knex, node-pg-migrate, Sequelize, MikroORM migration modules (src/core/sql/tsMigrations.ts).
  '**/migrations/**/*.{ts,js,mjs,cjs}',
  '**/migration/**/*.{ts,js,mjs,cjs}',
  '**/db/migrate/**/*.{ts,js,mjs,cjs}',
];

export function defaultConfig(): Config {
  return {
    rules: {},
    include: [],
    exclude: [],
    migrations: [...DEFAULT_MIGRATION_GLOBS],
    healthPaths: [...DEFAULT_HEALTH_PATHS],
    loadtest: {},
    checklist: {},
    scale: {},
    explain: {},
  };
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

export interface LoadedConfig {
  config: Config;
  problems: ConfigProblem[];
  /** Absolute path of the file read, if there was one. */
  file?: string;
}

/** Reads `shipshape.config.json` at `root`, if present. A bad file yields problems and the defaults, never a throw. */
export function loadConfig(root: string, overrides?: Partial<Config>): LoadedConfig {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { config: mergeConfig(defaultConfig(), overrides ?? {}), problems: [] };
  }
  const parsed = parseConfigText(text, file);
  const base = mergeConfig(defaultConfig(), overrides ?? {});
  if (parsed.problems.length > 0 || parsed.value === undefined) return { config: base, problems: parsed.problems, file };
  return { config: mergeConfig(base, parsed.value), problems: [], file };
}

/** Parses and validates the text of a config file. */
export function parseConfigText(text: string, file: string): { value?: Partial<Config>; problems: ConfigProblem[] } {
  // jsonc-parser (the parser VS Code's JSON support uses) gives the offset of the first error.
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const e = errors[0];
    const before = text.slice(0, e.offset).split('\n');
    const where = ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
    return {
      problems: [{ file, key: '', message: `${path.basename(file)} is not valid JSON${where} (${describeJsonError(printParseErrorCode(e.error))}). Fix the syntax; until then Shipshape uses its defaults.` }],
    };
  }
  if (!validate(raw)) {
    return { problems: relevantErrors(validate.errors ?? []).map((e) => problemFromAjv(e, file)) };
  }
  return { value: normalizeRaw(raw as RawConfig), problems: [] };
}

interface RawConfig {
  rules?: Record<string, RuleSetting | ({ severity?: RuleSetting } & Record<string, unknown>)>;
  include?: string[];
  exclude?: string[];
  migrations?: string[];
  healthPaths?: string[];
  loadtest?: Record<string, unknown>;
  checklist?: Record<string, unknown>;
  scale?: Record<string, unknown>;
  explain?: Record<string, unknown>;
}

function normalizeRaw(raw: RawConfig): Partial<Config> {
  const out: Partial<Config> = {};
  if (raw.rules) {
    out.rules = {};
    for (const [id, setting] of Object.entries(raw.rules)) {
      if (typeof setting === 'string') out.rules[id] = { severity: setting, options: {} };
      else {
        const { severity, ...options } = setting;
        out.rules[id] = { severity, options };
      }
    }
  }
  for (const key of ['include', 'exclude', 'migrations', 'healthPaths'] as const) {
    if (raw[key]) out[key] = raw[key];
  }
  if (raw.loadtest) out.loadtest = raw.loadtest;
  if (raw.checklist) out.checklist = raw.checklist;
  if (raw.scale) out.scale = raw.scale;
  if (raw.explain) out.explain = raw.explain;
  return out;
}

/** Later values win; rule entries merge per rule. */
export function mergeConfig(base: Config, over: Partial<Config>): Config {
  const rules: Record<string, RuleConfig> = { ...base.rules };
  for (const [id, rc] of Object.entries(over.rules ?? {})) {
    const prev = rules[id];
    rules[id] = { severity: rc.severity ?? prev?.severity, options: { ...(prev?.options ?? {}), ...rc.options } };
  }
  return {
    rules,
    include: over.include ?? base.include,
    exclude: over.exclude ?? base.exclude,
    migrations: over.migrations ?? base.migrations,
    healthPaths: over.healthPaths ?? base.healthPaths,
    loadtest: over.loadtest ?? base.loadtest,
    checklist: over.checklist ?? base.checklist,
    scale: over.scale ?? base.scale,
    explain: over.explain ?? base.explain,
  };
}

/**
 * Ajv reports every branch that failed; a user wants one message per mistake. Drop the enum error
 * behind a `propertyNames` failure, and for a `oneOf` keep the most specific errors: those below
 * its path when there are any, otherwise the `oneOf` summary alone.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const withoutNames = errors.filter((e) => !(e.keyword === 'enum' && 'propertyName' in (e as { propertyName?: string })) && !e.schemaPath.includes('/propertyNames/'));
  const oneOfPaths = new Set(withoutNames.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  return withoutNames.filter((e) => {
    if (e.keyword === 'oneOf') return !withoutNames.some((d) => d.instancePath.startsWith(e.instancePath + '/'));
    return !oneOfPaths.has(e.instancePath);
  });
}

function describeJsonError(code: string): string {
  // 'PropertyNameExpected' → 'property name expected'
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function problemFromAjv(e: ErrorObject, file: string): ConfigProblem {
  const key = e.instancePath.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
  const name = path.basename(file);
  const at = key ? `\`${key}\`` : 'the top level';
  let what: string;
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((schema as { properties: Record<string, unknown> }).properties).filter((k) => k !== '$schema');
      what = `unknown key \`${extra}\` at ${at}; expected one of: ${known.join(', ')}`;
      return { file, key: key ? `${key}.${extra}` : extra, message: `${name}: ${what}.` };
    }
    case 'propertyNames': {
      const bad = (e.params as { propertyName: string }).propertyName;
      return { file, key: `${key}.${bad}`, message: `${name}: \`${key}.${bad}\` is not a Shipshape rule; expected one of: ${(schema.properties.rules.propertyNames.enum as string[]).join(', ')}.` };
    }
    case 'enum':
      what = `must be one of ${((e.params as { allowedValues: string[] }).allowedValues).join(', ')}`;
      break;
    case 'oneOf':
      what = 'must be a severity (off, info, warning, error) or an object with `severity` and rule options';
      break;
    default:
      what = e.message ?? 'is invalid';
  }
  return { file, key, message: `${name}: ${at} ${what}.` };
}
