import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import schema from '../../schemas/shipshape.config.schema.json';
import type { Severity } from './finding';
import { findPrototypeKey, jsonNestingDepth, MAX_JSON_DEPTH } from './limits/jsonLimits';

/*
 * shipshape.config.json as a file: its types, its syntax and its JSON schema. Nothing here knows
 * the rules (config.ts adds their options' validation), so a command that only needs its own
 * section — `shipshape loadtest` — reads the file without loading the analysis.
 */

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

// Compiled on first use (~0.1 s): most runs have no config file to validate.
let ajvInstance: Ajv | undefined;
let configValidator: ValidateFunction | undefined;
export const ajv = (): Ajv => (ajvInstance ??= new Ajv({ allErrors: true, strict: false }));
const validateConfig = (): ValidateFunction => (configValidator ??= ajv().compile(schema));

/**
 * Parses the text of a config file and validates it against the JSON schema (keys, types, rule
 * ids and severities). Rule options are checked by `checkRuleOptions` when given: their schemas
 * live with the rules (config.ts), which this module does not load — so `shipshape loadtest`
 * reads its settings without loading the analysis.
 */
export function parseConfigFile(text: string, file: string, checkRuleOptions?: (rules: Record<string, RuleConfig>, file: string) => ConfigProblem[]): { value?: Partial<Config>; problems: ConfigProblem[] } {
  const name = path.basename(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Both the parser and the schema validator recurse per level: measure first, without recursion.
  const depth = jsonNestingDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    return { problems: [{ file, key: '', message: `${name} nests deeper than ${MAX_JSON_DEPTH} levels; no Shipshape setting needs more than a few. Flatten it.` }] };
  }
  // jsonc-parser (the parser VS Code's JSON support uses) gives the offset of the first error.
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const e = errors[0];
    const before = text.slice(0, e.offset).split('\n');
    const where = ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
    return {
      problems: [{ file, key: '', message: `${name} is not valid JSON${where} (${describeJsonError(printParseErrorCode(e.error))}). Fix the syntax.` }],
    };
  }
  const protoKey = findPrototypeKey(text);
  if (protoKey !== undefined) {
    const last = protoKey.split('.').pop();
    return { problems: [{ file, key: protoKey, message: `${name}: \`${protoKey}\` is not allowed: \`${last}\` is not a setting, and a parser would turn it into the object's prototype. Remove it.` }] };
  }
  const validate = validateConfig();
  if (!validate(raw)) {
    return { problems: capProblems(relevantErrors(validate.errors ?? []).map((e) => problemFromAjv(e, file)), file) };
  }
  const value = normalizeRaw(raw as RawConfig);
  const problems = checkRuleOptions ? checkRuleOptions(value.rules ?? {}, file) : [];
  return problems.length > 0 ? { problems } : { value, problems: [] };
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

const MAX_PROBLEMS = 10;

/** One mistake repeated 100,000 times is still one thing to fix: name the first few. */
function capProblems(problems: ConfigProblem[], file: string): ConfigProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const more = problems.length - MAX_PROBLEMS;
  return [...problems.slice(0, MAX_PROBLEMS), { file, key: '', message: `${path.basename(file)}: ${more} more problem${more === 1 ? '' : 's'} like these.` }];
}

export function pointerSegments(pointer: string): string[] {
  return pointer ? pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : [];
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
  const key = pointerSegments(e.instancePath).join('.');
  const name = path.basename(file);
  const at = key ? `\`${key}\`` : 'the top level';
  let what: string;
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const known = key === 'checklist' ? ['answers'] : key.startsWith('checklist.answers.') ? ['status', 'note'] : Object.keys((schema as { properties: Record<string, unknown> }).properties).filter((k) => k !== '$schema');
      what = `unknown key \`${extra}\` at ${at}; expected one of: ${known.join(', ')}`;
      return { file, key: key ? `${key}.${extra}` : extra, message: `${name}: ${what}.` };
    }
    case 'propertyNames': {
      const bad = (e.params as { propertyName: string }).propertyName;
      if (key === 'checklist.answers') return { file, key: `${key}.${bad}`, message: `${name}: \`${bad}\` in \`checklist.answers\` is not a checklist item; use an id such as disaster-recovery.restore-tested (the full list is in docs/checklist/).` };
      return { file, key: `${key}.${bad}`, message: `${name}: \`${key}.${bad}\` is not a Shipshape rule; expected one of: ${(schema.properties.rules.propertyNames.enum as string[]).join(', ')}.` };
    }
    case 'enum':
      what = `must be one of ${((e.params as { allowedValues: string[] }).allowedValues).join(', ')}`;
      break;
    case 'minLength':
      what = 'must not be empty';
      break;
    case 'maxLength':
      what = `is longer than ${(e.params as { limit: number }).limit} characters`;
      break;
    case 'maxItems':
      what = `has more than ${(e.params as { limit: number }).limit} entries; use fewer, broader patterns`;
      break;
    case 'oneOf':
      what = 'must be a severity (off, info, warning, error) or an object with `severity` and rule options';
      break;
    default:
      what = e.message ?? 'is invalid';
  }
  return { file, key, message: `${name}: ${at} ${what}.` };
}
