import { deploymentItems } from './items/deployment';
import { disasterRecoveryItems } from './items/disasterRecovery';
import { documentationItems } from './items/documentation';
import { observabilityItems } from './items/observability';
import { reliabilityItems } from './items/reliability';
import { securityItems } from './items/security';
import { testingItems } from './items/testing';
import type { ChecklistItem, ChecklistItemId } from './types';

/**
 * Every SPEC item id → its verdict function. `satisfies` makes a missing or misspelt id a type
 * error; test/unit/checklist/registry.test.ts checks each has a doc under docs/checklist/.
 */
const all = [...observabilityItems, ...reliabilityItems, ...deploymentItems, ...disasterRecoveryItems, ...securityItems, ...documentationItems, ...testingItems];

export const checklistItems = Object.fromEntries(all.map((i) => [i.id, i])) as Record<ChecklistItemId, ChecklistItem> satisfies Record<ChecklistItemId, ChecklistItem>;

export function itemList(): ChecklistItem[] {
  return all;
}
