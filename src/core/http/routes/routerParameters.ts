import ts from 'typescript';

/**
 * Where a function receives a router: `(router: Router) => …`, `({ router }: Deps) => …`, or a
 * rest parameter destructured as a tuple, `(...[router, tenant]: RouterInitArgs<T>)` (logto's
 * route modules). Its callers say which router it is: argument `index`, or its property `prop`.
 */
export interface RouterParameter {
  fn: ts.FunctionLikeDeclaration;
  index: number;
  prop?: string;
}

/** The parameter position a name bound in a function's parameter list comes from, or undefined. */
export function routerParameterOf(decl: ts.Declaration): RouterParameter | undefined {
  if (ts.isParameter(decl) && ts.isIdentifier(decl.name) && ts.isFunctionLike(decl.parent)) {
    const fn = decl.parent as ts.FunctionLikeDeclaration;
    return decl.dotDotDotToken ? undefined : { fn, index: fn.parameters.indexOf(decl) };
  }
  if (!ts.isBindingElement(decl)) return undefined;
  const pattern = decl.parent;
  const holder = pattern.parent;
  if (!ts.isParameter(holder) || !ts.isFunctionLike(holder.parent)) return undefined;
  const fn = holder.parent as ts.FunctionLikeDeclaration;
  const position = fn.parameters.indexOf(holder);
  if (ts.isArrayBindingPattern(pattern)) {
    // `...[router, tenant]`: the element's index counts from the rest parameter's position.
    if (!holder.dotDotDotToken || decl.dotDotDotToken) return undefined;
    return { fn, index: position + pattern.elements.indexOf(decl) };
  }
  if (holder.dotDotDotToken) return undefined;
  const key = decl.propertyName ?? decl.name;
  const prop = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
  return prop ? { fn, index: position, prop } : undefined;
}

/** The name a function is called by: its own, or the variable it initialises. */
export function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  let n: ts.Node = fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const holder = n.parent;
  if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  return undefined;
}
