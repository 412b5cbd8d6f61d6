import ts from 'typescript';

/**
 * Groups the nodes under `root` by a key, computed once per root node and kept as long as it
 * lives (a SourceFile's nodes live as long as the file is unchanged). `keyOf` returns the
 * node's key, or undefined to leave it out.
 */
export function nodeIndex<T extends ts.Node>(
  cache: WeakMap<ts.Node, Map<string, T[]>>,
  root: ts.Node,
  keyOf: (n: ts.Node) => [string, T] | undefined,
): Map<string, T[]> {
  let index = cache.get(root);
  if (!index) {
    const map = new Map<string, T[]>();
    const visit = (n: ts.Node): void => {
      const entry = keyOf(n);
      if (entry) {
        const list = map.get(entry[0]);
        if (list) list.push(entry[1]);
        else map.set(entry[0], [entry[1]]);
      }
      ts.forEachChild(n, visit);
    };
    visit(root);
    cache.set(root, (index = map));
  }
  return index;
}
