import ts from 'typescript';

/**
 * The nodes of a source file that several analyses start from, collected in one walk and kept as
 * long as the file is unchanged (a SourceFile is replaced, never mutated, when its text changes).
 * Each whole-file walk costs as much as the next on a large workspace; the route scan, the
 * query extraction and the import graph used to walk every file each on their own.
 */
export interface FileDigest {
  /** Calls and tagged templates, in source order (a call before the calls inside it). */
  readonly calls: ReadonlyArray<ts.CallExpression | ts.TaggedTemplateExpression>;
  /** Class declarations with at least one decorator. */
  readonly decoratedClasses: readonly ts.ClassDeclaration[];
  /** `a === b` and `a == b`. */
  readonly equalities: readonly ts.BinaryExpression[];
  readonly switches: readonly ts.SwitchStatement[];
  /** Every module the file refers to: import/export declarations, `import x = require()`, `require()`, `import()`. */
  readonly moduleReferences: readonly ts.StringLiteralLike[];
}

const digests = new WeakMap<ts.SourceFile, FileDigest>();

// `ts.SyntaxKind.X` is a getter on the typescript module object: read once here, not per node.
const K = ts.SyntaxKind;

export function digestOf(sf: ts.SourceFile): FileDigest {
  const known = digests.get(sf);
  if (known) return known;
  const collector = new DigestCollector();
  const visit = (node: ts.Node): void => {
    collector.add(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return collector.finish(sf);
}

/**
 * A file's digest, built from the nodes a walk of the whole file hands it in any order: the
 * program's parse already walks every node of every file once (the depth guard,
 * src/core/limits/parseWithinLimits.ts), and digests each file there instead of in a walk of its own.
 */
export class DigestCollector {
  private readonly calls: Array<ts.CallExpression | ts.TaggedTemplateExpression> = [];
  private readonly decoratedClasses: ts.ClassDeclaration[] = [];
  private readonly equalities: ts.BinaryExpression[] = [];
  private readonly switches: ts.SwitchStatement[] = [];
  private readonly moduleReferences: ts.StringLiteralLike[] = [];

  add(node: ts.Node): void {
    switch (node.kind) {
      case K.CallExpression: {
        const call = node as ts.CallExpression;
        this.calls.push(call);
        if (
          call.arguments.length === 1 &&
          ts.isStringLiteralLike(call.arguments[0]) &&
          (call.expression.kind === K.ImportKeyword || (ts.isIdentifier(call.expression) && call.expression.text === 'require'))
        ) {
          this.moduleReferences.push(call.arguments[0]);
        }
        break;
      }
      case K.TaggedTemplateExpression:
        this.calls.push(node as ts.TaggedTemplateExpression);
        break;
      case K.ClassDeclaration:
        if (ts.getDecorators(node as ts.ClassDeclaration)?.length) this.decoratedClasses.push(node as ts.ClassDeclaration);
        break;
      case K.BinaryExpression: {
        const op = (node as ts.BinaryExpression).operatorToken.kind;
        if (op === K.EqualsEqualsEqualsToken || op === K.EqualsEqualsToken) this.equalities.push(node as ts.BinaryExpression);
        break;
      }
      case K.SwitchStatement:
        this.switches.push(node as ts.SwitchStatement);
        break;
      case K.ImportDeclaration:
      case K.ExportDeclaration: {
        const specifier = (node as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier;
        if (specifier && ts.isStringLiteral(specifier)) this.moduleReferences.push(specifier);
        break;
      }
      case K.ImportEqualsDeclaration: {
        const ref = (node as ts.ImportEqualsDeclaration).moduleReference;
        if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) this.moduleReferences.push(ref.expression);
        break;
      }
    }
  }

  /** The digest of `sf`, in source order whatever the walk's order, kept for `digestOf`. */
  finish(sf: ts.SourceFile): FileDigest {
    const digest: FileDigest = {
      calls: inSourceOrder(this.calls),
      decoratedClasses: inSourceOrder(this.decoratedClasses),
      equalities: inSourceOrder(this.equalities),
      switches: inSourceOrder(this.switches),
      moduleReferences: inSourceOrder(this.moduleReferences),
    };
    digests.set(sf, digest);
    return digest;
  }
}

/**
 * Pre-order: by start, and of two nodes starting together the enclosing one (it ends later) first —
 * `f()()` before `f()`. Two distinct nodes of these kinds never share both ends.
 */
function inSourceOrder<T extends ts.Node>(nodes: T[]): T[] {
  for (let i = 1; i < nodes.length; i++) if (before(nodes[i], nodes[i - 1])) return nodes.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  return nodes;
}

function before(a: ts.Node, b: ts.Node): boolean {
  return a.pos < b.pos || (a.pos === b.pos && a.end > b.end);
}
