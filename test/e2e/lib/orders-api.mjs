// What Shipshape must find in examples/orders-api, derived from the example's source (not from
// Shipshape's output), so the example can change without editing the scenarios.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export const SERVER_FILE = 'src/server.ts';
export const ORDERS_FILE = 'src/routes/orders.ts';
export const LISTEN_RULES = ['missing-graceful-shutdown', 'missing-health-endpoint'];

/** 1-based line of the `.listen(` call in src/server.ts of `folder`. */
export function listenLine(folder) {
  const lines = fs.readFileSync(path.join(folder, SERVER_FILE), 'utf8').split('\n');
  const index = lines.findIndex((l) => /\.listen\(/.test(l));
  assert.ok(index >= 0, `${SERVER_FILE} has no .listen( call`);
  return index + 1;
}

/**
 * 1-based lines of the N+1 calls in src/routes/orders.ts: the query inside the `for … of` loop,
 * the call to the helper (which queries) inside the `.map` callback, and the query in
 * `Promise.all(ids.map(...))` over a typed array (`ids: number[]`), which is only seen when
 * TypeScript's standard library (Array, Promise) ships with the extension.
 */
export function nPlusOneLines(folder) {
  const lines = fs.readFileSync(path.join(folder, ORDERS_FILE), 'utf8').split('\n');
  const loop = lines.findIndex((l) => /^\s*for \(const \w+ of /.test(l));
  const direct = lines.findIndex((l, i) => i > loop && /pool\.query\(/.test(l));
  const indirect = lines.findIndex((l) => /\.map\(.*findCustomer\(/.test(l));
  const typedArray = lines.findIndex((l) => /Promise\.all\(ids\.map\(.*pool\.query/.test(l));
  assert.ok(loop >= 0 && direct >= 0 && indirect >= 0 && typedArray >= 0, `${ORDERS_FILE} no longer has the loops these tests expect`);
  return { direct: direct + 1, indirect: indirect + 1, typedArray: typedArray + 1 };
}

export const isShipshape = (m) => m.source === 'shipshape';

/** The Problems-panel marker of rule `id` on `file` (absolute path), if listed. */
export function findMarker(markers, id, file) {
  return markers.find((m) => isShipshape(m) && m.code === id && (!file || m.file === file));
}

/** Asserts both listen-call findings: on the listen line of src/server.ts, warnings, with doc links. */
export function assertListenFindings(markers, folder) {
  const file = path.join(folder, SERVER_FILE);
  const line = listenLine(folder);
  for (const id of LISTEN_RULES) {
    const marker = findMarker(markers, id, file);
    assert.ok(marker, `${id} is not listed for ${SERVER_FILE}`);
    assert.equal(marker.line, line, `${id} is on line ${marker.line}; the listen call is on line ${line}`);
    assert.equal(marker.severity, 'warning', `${id} severity`);
    assert.match(marker.href ?? '', new RegExp(`docs/rules/${id}\\.md$`), `${id} links to its doc page`);
    const elsewhere = markers.filter((m) => isShipshape(m) && m.code === id && m.file !== file);
    assert.deepEqual(elsewhere, [], `${id} is reported outside ${SERVER_FILE}`);
  }
  return { file, line };
}
