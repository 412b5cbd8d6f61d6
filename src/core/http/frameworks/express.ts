import type { FrameworkDescriptor } from './types';
import { LIVE_COMMENT, READY_COMMENT, readinessBody } from './templates';

/** Express: `express()`, `express.Router()`, and the types `Express`, `Application`, `Router`. */
export const express = {
  id: 'express',
  displayName: 'Express',
  packages: ['express'],
  values: [
    { modules: ['express'], path: ['()'], role: 'app' },
    { modules: ['express'], path: ['application', '()'], role: 'app' },
    { modules: ['express'], path: ['Express', '()'], role: 'app' },
    { modules: ['express'], path: ['Application', '()'], role: 'app' },
    { modules: ['express'], path: ['Router', '()'], role: 'router' },
    { modules: ['express'], path: ['IRouter', '()'], role: 'router' },
    { modules: ['express-serve-static-core'], path: ['Express', '()'], role: 'app' },
    { modules: ['express-serve-static-core'], path: ['Router', '()'], role: 'router' },
  ],
  types: [
    { modules: ['express-serve-static-core', 'express'], names: ['Express', 'Application'], role: 'app' },
    { modules: ['express-serve-static-core', 'express'], names: ['Router'], role: 'router' },
  ],
  chainable: new Set(['use', 'get', 'post', 'put', 'patch', 'delete', 'all', 'head', 'options', 'set', 'enable', 'disable', 'engine', 'param']),
  routes: {
    methods: new Set(['get', 'head', 'all', 'options']),
    stateChanging: { methods: new Set(['post', 'put', 'patch', 'delete']) },
    mount: 'use',
    routeChain: { method: 'route', verbs: new Set(['get', 'all', 'head']) },
  },
  fixes: {
    health: {
      kind: 'routes',
      template: (app, live, ready, check) => [
        LIVE_COMMENT,
        `${app}.get('${live}', (_req, res) => {`,
        "  res.status(200).json({ status: 'ok' });",
        '});',
        ...(ready
          ? [READY_COMMENT, `${app}.get('${ready}', ${check.expr ? 'async ' : ''}(_req, res) => {`, ...readinessBody(check, ["  res.status(200).json({ status: 'ok' });"], ["  res.status(503).json({ status: 'unavailable' });"]), '});']
          : []),
      ],
    },
    shutdown: 'server-close',
  },
} satisfies FrameworkDescriptor;
