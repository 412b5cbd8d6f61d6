import type { Config, RuleConfig, RuleSetting } from '../core/config';
import type { ShipshapeSettings } from './protocol';

const SEVERITIES: readonly string[] = ['off', 'info', 'warning', 'error'];

/**
 * Editor settings → config overrides for `loadProject`. Empty lists mean "not set"
 * (the built-in defaults apply), so a user who never touched a setting changes nothing.
 * shipshape.config.json still wins over everything returned here.
 */
export function toConfigOverrides(settings: ShipshapeSettings | null | undefined): Partial<Config> {
  const out: Partial<Config> = {};
  if (!settings || typeof settings !== 'object') return out;
  if (settings.rules && typeof settings.rules === 'object') {
    const rules: Record<string, RuleConfig> = {};
    for (const [id, value] of Object.entries(settings.rules)) {
      if (typeof value === 'string' && SEVERITIES.includes(value)) rules[id] = { severity: value as RuleSetting, options: {} };
    }
    if (Object.keys(rules).length > 0) out.rules = rules;
  }
  for (const key of ['healthPaths', 'migrations', 'exclude'] as const) {
    const list = stringList(settings[key]);
    if (list.length > 0) out[key] = list;
  }
  return out;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/** Stable text for comparing two override sets (settings events fire for unrelated sections too). */
export function overridesKey(overrides: Partial<Config>): string {
  return stableStringify(overrides);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
