import type { FrameworkDescriptor } from './types';

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
} satisfies FrameworkDescriptor;
