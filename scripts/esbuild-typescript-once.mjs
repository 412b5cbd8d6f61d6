import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// Every module that imports `typescript` would get its own interop copy of the compiler's ~2,500
// exports (esbuild's `__toESM` defines a getter per export, per importing module: ~60 copies,
// ~0.25 s and a few MB at every start of the CLI and the server). All imports of `typescript`
// resolve to one virtual module that requires it once (an ES module: importers bind to its export, no copy).
// That export is a plain copy of the compiler's exports: TypeScript's own module object reads every
// export through two getters (its bundler's `__export` and `__toCommonJS`), and the rules call
// `ts.isX(node)` millions of times per scan — a data property is read ~40% faster (measured on
// `skipOuter`). Nothing Shipshape uses is re-assigned inside TypeScript after it has loaded.
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const typescriptOnce = {
  name: 'typescript-once',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, (args) => (args.namespace === 'typescript-once' ? undefined : { path: 'typescript', namespace: 'typescript-once' }));
    build.onLoad({ filter: /.*/, namespace: 'typescript-once' }, () => ({ contents: "export default { ...require('typescript') };", loader: 'js', resolveDir: REPO }));
  },
};
