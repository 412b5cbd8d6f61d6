import ts from 'typescript';

/**
 * How deeply a file's syntax tree may nest before Shipshape leaves the file out. The TypeScript
 * binder and checker, and the rules' walks, recurse once (or more) per level: measured on
 * Node 20's default stack, the binder overflows on an 800-call `.then()` chain (~1,600 levels)
 * and the rules on a 4,000-term `a + a + …`. Hand-written code stays far below 100 levels; the
 * limit leaves room for generated code (long string concatenations) and keeps a wide margin
 * for the deeper stack a walk starts from inside the language server.
 */
export const MAX_SYNTAX_DEPTH = 500;

/**
 * The depth of the deepest node under `root` (the root is level 1), measured without recursion
 * so that it is safe on exactly the input it guards against. Stops counting at `limit + 1`.
 * With `setParents`, also links each node it visits to its parent — what `createSourceFile(…,
 * setParentNodes: true)` does in a walk of its own (JSDoc nodes are left to the binder). `onNode`
 * is handed every node it visits, in no particular order (last child first), until it stops.
 */
export function syntaxDepth(root: ts.Node, limit = MAX_SYNTAX_DEPTH, setParents = false, onNode?: (node: ts.Node) => void): number {
  let deepest = 0;
  const nodes: ts.Node[] = [root];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    onNode?.(node);
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    // forEachChild visits the direct children only: the loop, not the call stack, goes deeper.
    ts.forEachChild(
      node,
      (child) => {
        if (setParents) (child as { parent: ts.Node }).parent = node;
        nodes.push(child);
        depths.push(depth + 1);
      },
      (children) => {
        for (const child of children) {
          if (setParents) (child as { parent: ts.Node }).parent = node;
          nodes.push(child);
          depths.push(depth + 1);
        }
      },
    );
  }
  return deepest;
}
