/** Small syntax helpers the ORM query readers (typeorm/drizzle/kysely Queries) share. */
import ts from 'typescript';

/** The expression under parentheses, `as`, `!`, `await` and `satisfies`. */
export function skipExpression(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** The initializer of `name: …` in an object literal. */
export function propertyOf(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
  return undefined;
}
