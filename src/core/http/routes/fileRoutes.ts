import * as path from 'node:path';
import ts from 'typescript';
import { toPosix } from '../../project/files';
import { importsOf } from '../../ts/syntax';

/**
 * Routes a file declares by where it is (file-system routing): Next.js API routes,
 * `pages/api/health.ts` (a default-exported handler) and `app/api/health/route.ts` (an exported
 * `GET` or `HEAD`). They are served by the Next.js server, so they count only in a Next.js app:
 * some project file imports `next`. Route groups `(name)` and parallel slots `@name` are not in
 * the URL; `[id]` segments are parameters.
 */
export interface FileRoute {
  path: string;
  /** `ALL` for a `pages/api` handler; the exported verbs of an `app/…/route.ts`. */
  methods: string[];
  node: ts.Node;
  via: string;
}

const PAGES_API = /(?:^|\/)(?:src\/)?pages\/(api(?:\/.*)?)\.(?:ts|tsx|js|jsx|mjs|cjs)$/;
const APP_ROUTE_VERBS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const APP_ROUTE = /(?:^|\/)(?:src\/)?app\/((?:.*\/)?)route\.(?:ts|js|mjs)$/;

export function fileRoutes(root: string, files: readonly ts.SourceFile[]): FileRoute[] {
  if (!files.some(importsNext)) return [];
  const out: FileRoute[] = [];
  for (const sf of files) {
    const rel = toPosix(path.relative(root, sf.fileName));
    const pages = PAGES_API.exec(rel);
    if (pages) {
      const handler = defaultExport(sf);
      if (handler) out.push({ path: '/' + pages[1].replace(/\/index$/, ''), methods: ['ALL'], node: handler, via: 'next.js' });
      continue;
    }
    const app = APP_ROUTE.exec(rel);
    if (app) {
      const segments = app[1].split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
      for (const verb of APP_ROUTE_VERBS) {
        const handler = exportedNamed(sf, [verb]);
        if (handler) out.push({ path: '/' + segments.join('/'), methods: [verb], node: handler, via: 'next.js' });
      }
    }
  }
  return out;
}

function importsNext(sf: ts.SourceFile): boolean {
  for (const m of importsOf(sf).values()) if (m === 'next') return true;
  return false;
}

function hasExport(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function defaultExport(sf: ts.SourceFile): ts.Node | undefined {
  for (const st of sf.statements) {
    if (ts.isExportAssignment(st)) return st;
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && hasExport(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return st;
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause) && st.exportClause.elements.some((e) => e.name.text === 'default')) return st;
  }
  return undefined;
}

/** `export async function GET`, `export const GET = …`, `export { handler as GET }`. */
function exportedNamed(sf: ts.SourceFile, names: readonly string[]): ts.Node | undefined {
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && names.includes(st.name.text) && hasExport(st)) return st;
    if (ts.isVariableStatement(st) && hasExport(st)) {
      const d = st.declarationList.declarations.find((x) => ts.isIdentifier(x.name) && names.includes(x.name.text));
      if (d) return d;
    }
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      const e = st.exportClause.elements.find((x) => names.includes(x.name.text));
      if (e) return e;
    }
  }
  return undefined;
}
