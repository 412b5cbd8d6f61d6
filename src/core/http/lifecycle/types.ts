import type ts from 'typescript';

/**
 * A library that serves health probes or handles process shutdown for the app: what it
 * registers (health routes, a signal handler, a server close). Read by the generic walks in
 * `../routes/` (probes) and `../shutdown/` (shutdown paths). Found through `./registry.ts`.
 */
export interface LifecycleLibraryDescriptor {
  /** The registry key. */
  id: string;
  /** How the docs name it. */
  displayName: string;
  /** npm packages; recognition is by import provenance from these. */
  packages: readonly string[];
  probes?: ProbeRecognition;
  shutdown?: ShutdownRecognition;
}

/** What a probe helper gets to read option objects with. */
export interface ProbeReader {
  /** A property of an object literal (or a const holding one). */
  property(expr: ts.Expression, name: string): ts.Expression | undefined;
  /** The strings an expression can be (a literal, a constant, a union of them). */
  strings(expr: ts.Expression): string[];
}

export interface ProbeRoute {
  path: string;
  node: ts.Node;
}

export interface ProbeRecognition {
  /**
   * Registered as a plugin or middleware (`app.register(x, options)`, `app.use(x(options))`):
   * the paths it serves, given the options (empty: it serves none with these options).
   */
  asPlugin?: (options: ts.Expression | undefined, read: ProbeReader) => string[];
  /** A call of one of its exports (export path, leading `default` dropped) that declares probes. */
  call?: { path: readonly string[]; routes: (call: ts.CallExpression, read: ProbeReader) => ProbeRoute[] };
}

export interface ShutdownRecognition {
  /** Exports that call a handler on SIGTERM: which argument is the handler. */
  handlerRegistrars?: ReadonlyArray<{ path: readonly string[]; handler: 'last' | number }>;
  /** Exports that close the server given as their first argument on SIGTERM (and exit). */
  serverClosers?: ReadonlyArray<{ path: readonly string[] }>;
  /** A Fastify plugin that closes the instance it is registered on. */
  closesRegisteringInstance?: boolean;
  /** An export that exits on SIGTERM after its own handlers, closing nothing by itself (lightship). */
  exitsAfterHandlers?: { path: readonly string[] };
  /** Exports that return the server they are given (`stoppable(server)`, `createTerminus(server, opts)`): `wrap(server).listen()` starts that server. */
  returnsServer?: ReadonlyArray<{ path: readonly string[] }>;
  /** An object whose `member()` closes the server passed as option `serverOption` when it was created. */
  terminator?: { member: string; serverOption: string };
}
