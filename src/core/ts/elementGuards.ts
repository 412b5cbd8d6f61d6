import ts from 'typescript';
import { skipOuter } from './expressions';
import type { IterationContext } from './iteration';

/**
 * Whether a call in a loop runs only for elements equal to one value written in the code: under
 * `case 'roles':` of a `switch (claim)` on the element itself, or under `if (claim === 'roles')`.
 * The loop walks a list of names (claims, scopes, keys), and the query answers one of them: it
 * runs once for that name, not once per element. A property of the element (`switch
 * (row.type)`) is data, one query per matching row, and stays reported.
 */
export function runsForOneElementValue(call: ts.Node, ic: IterationContext, checker: ts.TypeChecker): boolean {
  const element = elementName(ic);
  if (!element) return false;
  const symbol = checker.getSymbolAtLocation(element);
  if (!symbol) return false;
  const isElement = (e: ts.Expression) => {
    const x = skipOuter(e);
    return ts.isIdentifier(x) && x.text === element.text && checker.getSymbolAtLocation(x) === symbol;
  };
  const body = ic.kind === 'callback' ? ic.fn?.body : ts.isIterationStatement(ic.node, false) ? (ic.node as ts.IterationStatement).statement : undefined;
  for (let n: ts.Node = call; n.parent && n !== body; n = n.parent) {
    const p = n.parent;
    if (ts.isFunctionLike(p) && p !== ic.fn) return false;
    if (ts.isCaseClause(p) && p.statements.includes(n as ts.Statement) && isCodeValue(p.expression) && isElement(p.parent.parent.expression)) return true;
    if (ts.isIfStatement(p) && p.thenStatement === n && comparesWithValue(p.expression, isElement)) return true;
  }
  return false;
}

function elementName(ic: IterationContext): ts.Identifier | undefined {
  let name: ts.BindingName | undefined;
  if (ic.kind === 'callback') name = ic.fn?.parameters[0]?.name;
  else if (ts.isForOfStatement(ic.node) && ts.isVariableDeclarationList(ic.node.initializer)) name = ic.node.initializer.declarations[0]?.name;
  return name && ts.isIdentifier(name) ? name : undefined;
}

/** A string or number literal, or an enum member (`Claim.Roles`). */
function isCodeValue(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isStringLiteralLike(x) || ts.isNumericLiteral(x) || ts.isPropertyAccessExpression(x);
}

function comparesWithValue(condition: ts.Expression, isElement: (e: ts.Expression) => boolean): boolean {
  const x = skipOuter(condition);
  if (!ts.isBinaryExpression(x)) return false;
  const op = x.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return comparesWithValue(x.left, isElement) || comparesWithValue(x.right, isElement);
  if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.EqualsEqualsToken) return false;
  return (isElement(x.left) && isLiteral(x.right)) || (isElement(x.right) && isLiteral(x.left));
}

function isLiteral(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isStringLiteralLike(x) || ts.isNumericLiteral(x);
}

/**
 * Whether a call in a loop runs once per batch of elements, not per element: under
 * `if (batch.length >= BATCH_SIZE)` / `if (buffered.size >= CAP)` — the loop fills a buffer and
 * flushes it (and reports progress) when it is full. That flush is the batching fix itself.
 */
export function runsPerFullBuffer(call: ts.Node, ic: IterationContext): boolean {
  const body = ic.kind === 'callback' ? ic.fn?.body : ts.isIterationStatement(ic.node, false) ? (ic.node as ts.IterationStatement).statement : undefined;
  for (let n: ts.Node = call; n.parent && n !== body; n = n.parent) {
    const p = n.parent;
    if (ts.isFunctionLike(p) && p !== ic.fn) return false;
    if (ts.isIfStatement(p) && p.thenStatement === n && checksFullBuffer(p.expression)) return true;
  }
  return false;
}

function checksFullBuffer(condition: ts.Expression): boolean {
  const x = skipOuter(condition);
  if (!ts.isBinaryExpression(x)) return false;
  const K = ts.SyntaxKind;
  const op = x.operatorToken.kind;
  if (op === K.AmpersandAmpersandToken) return checksFullBuffer(x.left) || checksFullBuffer(x.right);
  const isSize = (e: ts.Expression) => {
    const y = skipOuter(e);
    return ts.isPropertyAccessExpression(y) && (y.name.text === 'length' || y.name.text === 'size');
  };
  // `buffer.length >= SIZE`, `SIZE <= buffer.length`, `buffer.length === SIZE`, with a bound other than 0/1.
  const bound = (e: ts.Expression) => {
    const y = skipOuter(e);
    if (ts.isNumericLiteral(y)) return Number(y.text) > 1;
    return ts.isIdentifier(y) || (ts.isPropertyAccessExpression(y) && !isSize(y));
  };
  if (op === K.GreaterThanEqualsToken || op === K.GreaterThanToken || op === K.EqualsEqualsEqualsToken) return isSize(x.left) && bound(x.right);
  if (op === K.LessThanEqualsToken || op === K.LessThanToken) return isSize(x.right) && bound(x.left);
  return false;
}
