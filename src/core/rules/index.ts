import { fkWithoutIndex } from './fk-without-index';
import { missingGracefulShutdown } from './missing-graceful-shutdown';
import { missingHealthEndpoint } from './missing-health-endpoint';
import { nPlusOne } from './n-plus-one';
import type { Rule } from './types';
import { unindexedFilter } from './unindexed-filter';

/**
 * The rule registry. A rule file is registered here, has `test/rules/<id>.test.ts`
 * and `docs/rules/<id>.md`; test/unit/registry.test.ts fails when one is missing.
 */
export const rules = {
  'fk-without-index': fkWithoutIndex,
  'missing-graceful-shutdown': missingGracefulShutdown,
  'missing-health-endpoint': missingHealthEndpoint,
  'n-plus-one': nPlusOne,
  'unindexed-filter': unindexedFilter,
} satisfies Record<string, Rule<string, any>>;

export type RuleId = keyof typeof rules;

export function allRules(): Array<Rule<string, any>> {
  return Object.values(rules) as Array<Rule<string, any>>;
}

export function getRule(id: string): Rule<string, any> | undefined {
  return (rules as Record<string, Rule<string, any>>)[id];
}
