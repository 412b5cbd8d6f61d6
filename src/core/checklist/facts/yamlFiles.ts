import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';

/** One YAML document with line lookup; `at(node)` is the 0-based line of a node. */
export interface YamlDoc {
  doc: Document.Parsed;
  at(node: unknown): number;
}

export interface ParsedYaml {
  docs: YamlDoc[];
  /** The first syntax error, with its 0-based line. */
  error?: { line: number; message: string };
}

/** Parses every document of a YAML stream (`---`-separated manifests); never throws. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false }) as Document.Parsed[];
  } catch (err) {
    return { docs: [], error: { line: 0, message: (err as Error).message } };
  }
  if (!Array.isArray(documents)) documents = [documents as unknown as Document.Parsed];
  const at = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line - 1 : 0;
  };
  const firstError = documents.flatMap((d) => d.errors)[0];
  const error = firstError ? { line: firstError.linePos ? firstError.linePos[0].line - 1 : at({ range: firstError.pos }), message: firstError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') } : undefined;
  return { docs: documents.filter((d) => d.errors.length === 0).map((doc) => ({ doc, at })), error };
}

/** The node at a key path (strings for map keys, numbers for sequence items). */
export function nodeAt(node: unknown, path: Array<string | number>): YamlNode | undefined {
  let n = node as YamlNode | undefined;
  for (const key of path) {
    if (!n) return undefined;
    if (isMap(n)) n = n.get(key, true) as YamlNode | undefined;
    else if (isSeq(n) && typeof key === 'number') n = n.get(key, true) as YamlNode | undefined;
    else return undefined;
  }
  return n;
}

export function stringAt(node: unknown, path: Array<string | number>): string | undefined {
  const n = nodeAt(node, path);
  return isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined;
}

export function entries(node: unknown): Array<[string, YamlNode]> {
  if (!isMap(node)) return [];
  return node.items.flatMap((pair) => (isScalar(pair.key) ? [[String(pair.key.value), pair.value as YamlNode] as [string, YamlNode]] : []));
}

export function items(node: unknown): YamlNode[] {
  return isSeq(node) ? (node.items as YamlNode[]) : [];
}

/** Every string scalar under a node, with its 0-based line (CI commands, container commands). */
export function strings(node: unknown, at: (n: unknown) => number, out: Array<{ text: string; line: number }> = []): Array<{ text: string; line: number }> {
  if (isScalar(node)) {
    if (typeof node.value === 'string') out.push({ text: node.value, line: at(node) });
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string') out.push({ text: pair.key.value, line: at(pair.key) });
      strings(pair.value, at, out);
    }
  } else if (isSeq(node)) for (const item of node.items) strings(item, at, out);
  return out;
}

/**
 * Helm templates are Go templates, not YAML: blank out `{{- if … }}` lines and replace inline
 * `{{ … }}` with a placeholder, so the manifest's shape (probes, strategy) can still be read.
 */
export function fillHelmPlaceholders(text: string): string {
  return text
    .split('\n')
    .map((line) => (/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line) ? '' : line.replace(/\{\{-?[^}]*?-?\}\}/g, 'HELM_VALUE')))
    .join('\n');
}
