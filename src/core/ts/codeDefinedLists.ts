import ts from 'typescript';
import { skipOuter } from './expressions';
import { isMutated, type IterationContext } from './iteration';

/**
 * Lists whose length the code decides, in forms `iteratesFixedList` does not read: the values of
 * an enum (`Object.values(Role)`, filtered or sliced) and a class field only ever assigned an
 * array literal (`this.taggers = [new A(), new B()]` in the constructor). A loop over one runs a
 * fixed number of times whatever the data — the same as `Promise.all([a(), b()])`.
 */
export function iteratesCodeDefinedList(ic: IterationContext, checker: ts.TypeChecker): boolean {
  const collection = ic.kind === 'callback' ? ic.receiver : ts.isForOfStatement(ic.node) || ts.isForInStatement(ic.node) ? ic.node.expression : undefined;
  return !!collection && isCodeDefinedList(collection, checker, 0);
}

/** Steps that keep a list as bounded as the one they start from. */
const SUBLIST_METHODS = new Set(['filter', 'slice', 'map', 'sort', 'reverse', 'toSorted', 'toReversed']);

function isCodeDefinedList(expression: ts.Expression, checker: ts.TypeChecker, depth: number): boolean {
  if (depth > 5) return false;
  const e = skipOuter(expression);
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    if (SUBLIST_METHODS.has(callee.name.text)) return isCodeDefinedList(callee.expression, checker, depth + 1);
    // Object.values(Role), Object.keys(Role), Object.entries(Role): an enum's members are written in the code.
    if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && ['values', 'keys', 'entries'].includes(callee.name.text) && e.arguments[0]) {
      return isEnum(e.arguments[0], checker);
    }
    return false;
  }
  if (ts.isIdentifier(e)) {
    const symbol = checker.getSymbolAtLocation(e);
    const decl = symbol?.valueDeclaration;
    if (!symbol || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer || (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return false;
    return !isMutated(symbol, decl, checker) && isCodeDefinedList(decl.initializer, checker, depth + 1);
  }
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return isFixedField(e, checker);
  return false;
}

function isEnum(e: ts.Expression, checker: ts.TypeChecker): boolean {
  let symbol = checker.getSymbolAtLocation(skipOuter(e));
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return !!symbol && (symbol.flags & ts.SymbolFlags.Enum) !== 0;
}

/**
 * `this.taggers`, where the class assigns the field only array literals written in the code
 * (in its initializer or in `this.taggers = […]`) and never grows it (`this.taggers.push(…)`).
 */
function isFixedField(access: ts.PropertyAccessExpression, checker: ts.TypeChecker): boolean {
  const symbol = checker.getSymbolAtLocation(access.name);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl || !ts.isPropertyDeclaration(decl) || !ts.isClassLike(decl.parent)) return false;
  const fixed = (v: ts.Expression) => {
    const x = skipOuter(v);
    return ts.isArrayLiteralExpression(x) && x.elements.length > 0 && !x.elements.some(ts.isSpreadElement);
  };
  if (decl.initializer && !fixed(decl.initializer)) return false;
  let assigned = !!decl.initializer;
  let ok = true;
  const isOurs = (n: ts.Node) => ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword && n.name.text === access.name.text;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && isOurs(skipOuter(n.left))) {
      if (n.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !fixed(n.right)) ok = false;
      assigned = true;
    } else if (ts.isPropertyAccessExpression(n) && isOurs(skipOuter(n.expression)) && ['push', 'unshift', 'splice'].includes(n.name.text)) {
      ok = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(decl.parent);
  return ok && assigned;
}
