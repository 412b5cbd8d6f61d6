import { visit } from 'jsonc-parser';
import { MAX_CONFIG_BYTES, readBoundedText, type BoundedRead } from './boundedFile';

/**
 * How deeply a JSON file that describes a project may nest. JSON parsers (jsonc-parser,
 * TypeScript's own for tsconfig.json) recurse once per level and overflow the stack around
 * 10,000 levels; real configuration nests fewer than ten.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Keys that would change an object's prototype, or shadow what code reads from it, when a parser
 * assigns them (`obj["__proto__"] = …` replaces the prototype: `{"__proto__": {"rules": …}}`
 * would set rules that no validation ever saw).
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The deepest nesting of `[`/`{` in a JSON (or JSONC) text, counted without recursion and
 * without parsing, so it can run before a recursive parser is trusted with the text.
 * Strings and comments are skipped. Stops counting past `limit`.
 */
export function jsonNestingDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) i++;
        else if (c === 0x22 || c === 0x0a) break;
      }
    } else if (ch === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (ch === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      if (depth > 0) depth--;
    }
  }
  return deepest;
}

/**
 * The dotted path of the first prototype key (`__proto__`, `constructor`, `prototype`) in a JSON
 * text, or undefined. Call only on text whose depth is within MAX_JSON_DEPTH (the visitor recurses).
 */
export function findPrototypeKey(text: string): string | undefined {
  let found: string | undefined;
  visit(
    text,
    {
      onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
        if (found === undefined && PROTOTYPE_KEYS.has(property)) found = [...pathSupplier(), property].join('.');
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  return found;
}

/** A JSON file that describes the project, read within the size, file-kind and depth limits. */
export function readBoundedJson(file: string, maxBytes = MAX_CONFIG_BYTES): BoundedRead {
  const read = readBoundedText(file, maxBytes);
  if (read.problem !== undefined) return read;
  if (jsonNestingDepth(read.text) > MAX_JSON_DEPTH) return { problem: `nests deeper than ${MAX_JSON_DEPTH} levels; flatten it` };
  return read;
}
