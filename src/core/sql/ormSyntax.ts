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

/**
 * Whether an options object may hold `name` where the syntax does not show it: a shorthand
 * (`{ where }`, a filter built in a variable) or a spread after the last `name: …`
 * (`{ ...options, order }`). The filter is then unknown, and so is the query's coverage.
 */
export function hidesProperty(obj: ts.ObjectLiteralExpression, name: string, checker?: ts.TypeChecker): boolean {
  let hidden = false;
  for (const p of obj.properties) {
    if (ts.isSpreadAssignment(p)) hidden = hidden || mayHold(p.expression, name, checker);
    else if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) hidden = true;
    else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) hidden = false;
  }
  return hidden;
}

/**
 * Whether a spread value may carry `name`: unless its type is known (declarations installed, or
 * declared in the project) and has no such property (`{ transaction }`, `{ lock: true }`).
 */
function mayHold(e: ts.Expression, name: string, checker: ts.TypeChecker | undefined): boolean {
  if (!checker) return true;
  const type = checker.getTypeAtLocation(e);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) || (type.isUnion() && type.types.some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)))) return true;
  return (type.isUnion() ? type.types : [type]).some((t) => !!t.getProperty(name) || !!checker.getIndexInfosOfType(t).length);
}

/** Whether an object literal spreads another object into itself (`{ ...scope, status }`): its keys are not all known. */
export function hasSpread(obj: ts.ObjectLiteralExpression): boolean {
  return obj.properties.some(ts.isSpreadAssignment);
}
