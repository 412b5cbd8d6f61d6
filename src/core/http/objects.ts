import ts from 'typescript';
import { skipOuterAndAwait } from '../ts/expressions';
import { resolvedSymbol } from '../ts/symbols';

/** A property's value in an object literal (or a const variable initialised to one). */
export function objectProperty(checker: ts.TypeChecker, expr: ts.Expression, name: string): ts.Expression | undefined {
  const literal = objectLiteralOf(checker, expr);
  for (const prop of literal?.properties ?? []) {
    if (ts.isPropertyAssignment(prop) && prop.name && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) && prop.name.text === name) return prop.initializer;
    if (ts.isShorthandPropertyAssignment(prop) && prop.name.text === name) return prop.name;
  }
  return undefined;
}

export function objectLiteralOf(checker: ts.TypeChecker, expr: ts.Expression, depth = 0): ts.ObjectLiteralExpression | undefined {
  const e = skipOuterAndAwait(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (depth > 3) return undefined;
  if (ts.isIdentifier(e)) {
    const sym = resolvedSymbol(checker, e);
    for (const decl of sym?.declarations ?? []) {
      if (ts.isVariableDeclaration(decl) && decl.initializer) return objectLiteralOf(checker, decl.initializer, depth + 1);
    }
  }
  return undefined;
}

/** The expression a function returns (the first `return x`, or an expression body). */
export function returnedExpression(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body;
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || (ts.isFunctionLike(n) && n !== fn)) return;
    if (ts.isReturnStatement(n) && n.expression) {
      found = n.expression;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}
