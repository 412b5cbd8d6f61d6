// A workspace shape shared by the rules judged per server process (health, shutdown).

/** Two apps of one monorepo, each its own server process (its own package.json and entry). */
export const TWO_APPS: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'corp', private: true, workspaces: ['apps/*'] }),
  'apps/api/package.json': JSON.stringify({ name: '@corp/api', dependencies: { express: '^5.1.0' } }),
  'apps/api/src/main.ts': `import express from 'express';\n\nconst app = express();\napp.get('/orders', (_req, res) => res.json([]));\napp.listen(3000);\n`,
  'apps/worker/package.json': JSON.stringify({ name: '@corp/worker', dependencies: { express: '^5.1.0' } }),
  'apps/worker/src/main.ts': `import express from 'express';\nimport { probes } from './probes';\n\nconst app = express();\napp.use(probes);\nconst server = app.listen(3001);\nprocess.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n});\n`,
  'apps/worker/src/probes.ts': `import { Router } from 'express';\nexport const probes = Router();\nprobes.get('/healthz', (_req, res) => res.send('ok'));\n`,
  'apps/worker/src/queue.ts': `process.on('SIGTERM', () => process.exit(0));\n`,
};
