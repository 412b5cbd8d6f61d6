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

export function digestOf(sf: ts.SourceFile): FileDigest {
  const known = digests.get(sf);
  if (known) return known;
  const calls: Array<ts.CallExpression | ts.TaggedTemplateExpression> = [];
  const decoratedClasses: ts.ClassDeclaration[] = [];
  const equalities: ts.BinaryExpression[] = [];
  const switches: ts.SwitchStatement[] = [];
  const moduleReferences: ts.StringLiteralLike[] = [];
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.CallExpression: {
        const call = node as ts.CallExpression;
        calls.push(call);
        if (
          call.arguments.length === 1 &&
          ts.isStringLiteralLike(call.arguments[0]) &&
          (call.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(call.expression) && call.expression.text === 'require'))
        ) {
          moduleReferences.push(call.arguments[0]);
        }
        break;
      }
      case ts.SyntaxKind.TaggedTemplateExpression:
        calls.push(node as ts.TaggedTemplateExpression);
        break;
      case ts.SyntaxKind.ClassDeclaration:
        if (ts.getDecorators(node as ts.ClassDeclaration)?.length) decoratedClasses.push(node as ts.ClassDeclaration);
        break;
      case ts.SyntaxKind.BinaryExpression: {
        const op = (node as ts.BinaryExpression).operatorToken.kind;
        if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) equalities.push(node as ts.BinaryExpression);
        break;
      }
      case ts.SyntaxKind.SwitchStatement:
        switches.push(node as ts.SwitchStatement);
        break;
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ExportDeclaration: {
        const specifier = (node as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier;
        if (specifier && ts.isStringLiteral(specifier)) moduleReferences.push(specifier);
        break;
      }
      case ts.SyntaxKind.ImportEqualsDeclaration: {
        const ref = (node as ts.ImportEqualsDeclaration).moduleReference;
        if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) moduleReferences.push(ref.expression);
        break;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const digest: FileDigest = { calls, decoratedClasses, equalities, switches, moduleReferences };
  digests.set(sf, digest);
  return digest;
}
