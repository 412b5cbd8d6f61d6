// The scenarios in shipshape.config.json as the editor needs them: where each one is in the text
// (CodeLens, "open the config at the bad key"), and the edit that appends a new one. Pure: text in,
// data out (jsonc-parser keeps comments and formatting of the user's file).
import { applyEdits, findNodeAtLocation, modify, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { LoadTestConfig, ScenarioConfig } from '../../core/loadtest/types';

export const CONFIG_FILE = 'shipshape.config.json';

export interface ScenarioEntry {
  index: number;
  /** The scenario's name, or `scenario <n>` when it has none (resolveScenario reports that). */
  name: string;
  /** Offset and length of the scenario's object in the text. */
  offset: number;
  length: number;
  raw: ScenarioConfig;
}

export interface ConfigScenarios {
  loadtest?: LoadTestConfig;
  entries: ScenarioEntry[];
  /** The first syntax error, when the file does not parse. */
  syntaxError?: { offset: number; message: string };
}

export function readConfigScenarios(text: string): ConfigScenarios {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) return { entries: [], syntaxError: { offset: errors[0].offset, message: printParseErrorCode(errors[0].error) } };
  const loadtestNode = tree && findNodeAtLocation(tree, ['loadtest']);
  if (!loadtestNode || loadtestNode.type !== 'object') return { entries: [] };
  const loadtest = nodeValue(loadtestNode) as LoadTestConfig;
  const list = findNodeAtLocation(loadtestNode, ['scenarios']);
  const entries: ScenarioEntry[] = [];
  for (const [index, node] of (list?.type === 'array' ? list.children ?? [] : []).entries()) {
    const raw = nodeValue(node) as ScenarioConfig;
    const name = node.type === 'object' && typeof raw?.name === 'string' && raw.name.trim() ? raw.name : `scenario ${index + 1}`;
    entries.push({ index, name, offset: node.offset, length: node.length, raw });
  }
  return { loadtest, entries };
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).filter((p) => p.children?.length === 2).map((p) => [p.children![0].value as string, nodeValue(p.children![1])]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/**
 * The offset of a config key such as `loadtest.scenarios[2].rate` (what ScenarioProblem.key
 * names), or of the closest enclosing key that exists.
 */
export function offsetOfKey(text: string, key: string): number | undefined {
  const tree = parseTree(text, [], { allowTrailingComma: true });
  if (!tree) return undefined;
  const segments: Array<string | number> = [];
  for (const m of key.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  for (let n = segments.length; n > 0; n--) {
    const node = findNodeAtLocation(tree, segments.slice(0, n));
    if (node) return node.parent?.type === 'property' ? node.parent.offset : node.offset;
  }
  return undefined;
}

export function uniqueScenarioName(existing: readonly string[], base: string): string {
  if (!existing.includes(base)) return base;
  for (let i = 2; ; i++) if (!existing.includes(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * The text with `scenario` appended to `loadtest.scenarios` (created when missing), and the offset
 * of the new scenario's `name` value so the editor can put the cursor there. An empty file becomes
 * a config with just this scenario.
 */
export function appendScenario(text: string, scenario: ScenarioConfig, insertSpaces = true, tabSize = 2): { text: string; nameOffset: number } {
  const source = text.trim() === '' ? '{}' : text;
  const current = readConfigScenarios(source);
  if (current.syntaxError) throw new Error(`${CONFIG_FILE} does not parse (${current.syntaxError.message}); fix it first.`);
  const formattingOptions = { insertSpaces, tabSize, eol: source.includes('\r\n') ? '\r\n' : '\n' };
  const index = current.entries.length;
  const edits = current.loadtest && Array.isArray(current.loadtest.scenarios)
    ? modify(source, ['loadtest', 'scenarios', index], scenario, { formattingOptions, isArrayInsertion: true })
    : current.loadtest
      ? modify(source, ['loadtest', 'scenarios'], [scenario], { formattingOptions })
      : modify(source, ['loadtest'], { scenarios: [scenario] }, { formattingOptions });
  const out = applyEdits(source, edits);
  const entry = readConfigScenarios(out).entries[index];
  const tree = parseTree(out);
  const nameNode = tree && findNodeAtLocation(tree, ['loadtest', 'scenarios', index, 'name']);
  return { text: out, nameOffset: nameNode?.offset ?? entry?.offset ?? 0 };
}
