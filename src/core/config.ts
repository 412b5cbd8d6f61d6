import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { ajv, CONFIG_FILE, parseConfigFile, pointerSegments, type Config, type ConfigProblem, type RuleConfig } from './configFile';
import { readBoundedText } from './limits/boundedFile';
import { allRules } from './rules';

export { CONFIG_FILE, type Config, type ConfigProblem, type RuleConfig, type RuleSetting } from './configFile';

import { DEFAULT_HEALTH_PATHS } from './http/healthPaths';
export { DEFAULT_HEALTH_PATHS };

export const DEFAULT_MIGRATION_GLOBS = [
  '**/migrations/**/*.sql',
  '**/migration/**/*.sql',
  '**/db/migrate/**/*.sql',
  '**/V*__*.sql',
  '**/R__*.sql',
  '**/*.up.sql',
  '**/sql/**/*.sql',
  '**/drizzle/**/*.sql',
  // TypeORM, Knex, node-pg-migrate, Sequelize, MikroORM, Kysely migration modules (src/core/sql/tsMigrations.ts).
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

export interface LoadedConfig {
  config: Config;
  problems: ConfigProblem[];
  /** Absolute path of the file read, if there was one. */
  file?: string;
}

/**
 * Reads `shipshape.config.json` at `root`, if present. A bad file yields problems and the defaults,
 * never a throw: the editor keeps working on the defaults and shows the problems; the CLI refuses
 * to scan with them (exit 2), so a CI run never passes on settings nobody wrote.
 */
export function loadConfig(root: string, overrides?: Partial<Config>): LoadedConfig {
  const file = path.join(root, CONFIG_FILE);
  const base = mergeConfig(defaultConfig(), overrides ?? {});
  const read = readBoundedText(file);
  if (read.problem !== undefined) {
    if (read.missing) return { config: base, problems: [] };
    return { config: base, problems: [{ file, key: '', message: `${CONFIG_FILE} ${read.problem}.` }], file };
  }
  const parsed = parseConfigText(read.text, file);
  if (parsed.problems.length > 0 || parsed.value === undefined) return { config: base, problems: parsed.problems, file };
  return { config: mergeConfig(base, parsed.value), problems: [], file };
}

/** Parses and validates the text of a config file, rule options included. */
export function parseConfigText(text: string, file: string): { value?: Partial<Config>; problems: ConfigProblem[] } {
  return parseConfigFile(text, file, validateRuleOptions);
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

const ruleOptionValidators = new Map<string, ValidateFunction | undefined>();

/**
 * Each rule declares the JSON schema of its options (`meta.optionsSchema`); a value of the wrong
 * type must not reach the rule, where `"interprocedural": "no"` would read as `true`.
 */
function validateRuleOptions(rules: Record<string, RuleConfig>, file: string): ConfigProblem[] {
  const name = path.basename(file);
  const problems: ConfigProblem[] = [];
  const byId = new Map(allRules().map((r) => [r.meta.id, r]));
  for (const [id, setting] of Object.entries(rules)) {
    const rule = byId.get(id);
    // Ids in the schema's list whose rule is not built yet: nothing declares their options.
    if (!rule?.meta.optionsSchema) continue;
    if (!ruleOptionValidators.has(id)) ruleOptionValidators.set(id, ajv().compile(rule.meta.optionsSchema));
    const check = ruleOptionValidators.get(id)!;
    if (check(setting.options)) continue;
    const properties = Object.keys((rule.meta.optionsSchema.properties as Record<string, unknown> | undefined) ?? {});
    for (const e of check.errors ?? []) {
      const at = ['rules', id, ...pointerSegments(e.instancePath)];
      if (e.keyword === 'additionalProperties') {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const expected = properties.length ? `its options are: severity, ${properties.join(', ')}` : 'it takes no options besides `severity`';
        problems.push({ file, key: [...at, extra].join('.'), message: `${name}: \`${[...at, extra].join('.')}\` is not an option of ${id}; ${expected}.` });
        continue;
      }
      const key = at.join('.');
      const what = e.keyword === 'type' ? `must be ${(e.params as { type: string }).type === 'boolean' ? 'true or false' : `of type ${(e.params as { type: string }).type}`}` : (e.message ?? 'is invalid');
      problems.push({ file, key, message: `${name}: \`${key}\` ${what}.` });
    }
  }
  return problems;
}

