/**
 * The PostgreSQL parser (libpg-query: PostgreSQL's own grammar compiled to WebAssembly).
 *
 * `loadSqlParser()` instantiates the WebAssembly module once per process; every other function
 * here is synchronous and needs it loaded (the CLI and the language server await it before the
 * first analysis). Bundled by esbuild, libpg-query reads `libpg-query.wasm` from the folder of the
 * bundle: esbuild.mjs copies it into dist/ (see /work/shared/NOTES.md).
 *
 * Offsets: libpg-query reports UTF-8 byte offsets; everything leaving this file is a UTF-16
 * offset into the JavaScript string (what TypeScript, LSP and `Range` use).
 */
import { loadModule, parsePlPgSQLSync, parseSync, scanSync, type Node } from 'libpg-query';

let loading: Promise<void> | undefined;
let loaded = false;

/** Loads the parser's WebAssembly module; cheap after the first call. */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

export function isSqlParserLoaded(): boolean {
  return loaded;
}

/** One statement of a SQL text, with where it sits in that text. */
export interface SqlStatement {
  /** The statement's text (no trailing `;`, no leading comments or blank space). */
  text: string;
  /** UTF-16 offsets of the statement in the text it came from. */
  start: number;
  end: number;
  /** The parse tree (one statement node, e.g. `{ CreateStmt: … }`), when PostgreSQL accepts it. */
  ast?: Node;
  /** Why PostgreSQL rejected it, and the UTF-16 offset (in the whole text) it points at. */
  error?: { message: string; offset: number };
  /** The UTF-16 offset in the whole text of a parse-tree `location` (a UTF-8 byte offset). */
  offsetOf(location: number): number;
}

/**
 * Splits a SQL text into statements and parses each one. A statement PostgreSQL rejects carries
 * its error; the statements around it are still parsed (one bad statement in a migration must
 * not hide the rest of the schema).
 */
export function splitStatements(text: string): SqlStatement[] {
  requireLoaded();
  const bytes = byteOffsets(text);
  try {
    const result = parseSync(text);
    return (result.stmts ?? []).flatMap((raw) => {
      const from = bytes.toChar(raw.stmt_location ?? 0);
      const to = trimEnd(text, raw.stmt_len ? bytes.toChar((raw.stmt_location ?? 0) + raw.stmt_len) : text.length);
      const start = skipTrivia(text, from, to);
      if (start >= to || raw.stmt === undefined) return [];
      return [{ text: text.slice(start, to), start, end: to, ast: raw.stmt, offsetOf: (loc: number) => bytes.toChar(loc) }];
    });
  } catch {
    // At least one statement is malformed: split on top-level `;` tokens (the scanner knows
    // strings, dollar quotes and comments) and parse each piece alone.
    return splitByScanner(text, bytes).map(({ start, end }) => parseOne(text, start, end));
  }
}

/** Parses a text expected to hold exactly one statement (a query string from code). */
export function parseStatement(text: string): SqlStatement {
  requireLoaded();
  const all = splitStatements(text);
  if (all.length === 0) return { text, start: 0, end: text.length, error: { message: 'empty statement', offset: 0 }, offsetOf: (loc) => loc };
  return all[0];
}

function parseOne(text: string, start: number, end: number): SqlStatement {
  const piece = text.slice(start, end);
  const pieceBytes = byteOffsets(piece);
  const offsetOf = (loc: number) => start + pieceBytes.toChar(loc);
  try {
    const result = parseSync(piece);
    const stmt = result.stmts?.[0]?.stmt;
    return { text: piece, start, end, ast: stmt, offsetOf };
  } catch (err) {
    const details = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const local = pieceBytes.toChar(Math.max(0, details?.cursorPosition ?? 0));
    return { text: piece, start, end, error: { message: (err as Error).message, offset: start + Math.min(local, piece.length) }, offsetOf };
  }
}

function splitByScanner(text: string, bytes: ByteOffsets): Array<{ start: number; end: number }> {
  let tokens: Array<{ start: number; end: number; text: string; tokenName: string }>;
  try {
    tokens = scanSync(text).tokens;
  } catch {
    // The scanner itself failed (an unterminated string or comment): the whole text is one piece.
    const start = skipTrivia(text, 0, text.length);
    return start < text.length ? [{ start, end: trimEnd(text, text.length) }] : [];
  }
  const pieces: Array<{ start: number; end: number }> = [];
  let pieceStart = -1;
  let pieceEnd = -1;
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    if (t.text === ';' && depth === 0 && t.tokenName === 'ASCII_59') {
      if (pieceStart >= 0) pieces.push({ start: bytes.toChar(pieceStart), end: bytes.toChar(pieceEnd) });
      pieceStart = -1;
      continue;
    }
    if (pieceStart < 0) pieceStart = t.start;
    pieceEnd = t.end;
  }
  if (pieceStart >= 0) pieces.push({ start: bytes.toChar(pieceStart), end: bytes.toChar(pieceEnd) });
  return pieces;
}

/** Skips blank space and SQL comments from `from`, not past `to`. */
function skipTrivia(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') i++;
    else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? to : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? to : close + 2;
    } else break;
  }
  return Math.min(i, to);
}

function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /[\s;]/.test(text[e - 1])) e--;
  return e;
}

interface ByteOffsets {
  toChar(byteOffset: number): number;
}

/** Maps UTF-8 byte offsets to UTF-16 offsets; the identity for ASCII text (the usual case). */
function byteOffsets(text: string): ByteOffsets {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return { toChar: (b) => Math.min(b, text.length) };
  const charAtByte: number[] = [];
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < size; k++) charAtByte[byte + k] = i;
    byte += size;
    if (code >= 0x10000) i++;
  }
  return { toChar: (b) => (b >= byte ? text.length : charAtByte[b]) };
}

function requireLoaded(): void {
  if (!loaded) throw new Error('the SQL parser is not loaded yet: await loadSqlParser() before analysing SQL');
}

/** Byte → UTF-16 offset for a text, exported for callers that read `location` fields of a parse tree. */
export function charOffsetOfByte(text: string, byteOffset: number): number {
  return byteOffsets(text).toChar(byteOffset);
}

/** A SQL statement a PL/pgSQL body runs, and its UTF-16 offset in that body. */
export interface PlpgsqlStatement {
  text: string;
  offset: number;
}

/**
 * The SQL statements a PL/pgSQL body runs as such (`PLpgSQL_stmt_execsql`), in order and
 * whatever block, IF or exception handler they sit in — e.g. the `ALTER TABLE … ADD CONSTRAINT`
 * of drizzle-kit's `DO $$ BEGIN … EXCEPTION WHEN duplicate_object THEN null; END $$`. `EXECUTE`
 * of a built string and conditions are not statements. A body PostgreSQL rejects yields none.
 */
export function plpgsqlStatements(body: string): PlpgsqlStatement[] {
  requireLoaded();
  let tag = 'shipshape_do';
  while (body.includes(`$${tag}$`)) tag += '_';
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(`CREATE FUNCTION shipshape_do() RETURNS void LANGUAGE plpgsql AS $${tag}$${body}$${tag}$`);
  } catch {
    return [];
  }
  const out: PlpgsqlStatement[] = [];
  let cursor = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const exec = (node as { PLpgSQL_stmt_execsql?: { sqlstmt?: { PLpgSQL_expr?: { query?: unknown } } } }).PLpgSQL_stmt_execsql;
    const query = exec?.sqlstmt?.PLpgSQL_expr?.query;
    if (typeof query === 'string') {
      // The query is the body's own text (PL/pgSQL cuts it out verbatim): find where it sits.
      const at = body.indexOf(query, cursor);
      if (at >= 0) {
        out.push({ text: query, offset: at });
        cursor = at + query.length;
      }
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(tree);
  return out;
}
