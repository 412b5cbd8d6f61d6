// The slice of autocannon's programmatic API the closed-model engine uses (lib/init.js, 9.0.0).
declare module 'autocannon/lib/init' {
  import type { EventEmitter } from 'node:events';
  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Shipshape's own tag, carried along on autocannon's request objects. */
    name?: string;
  }
  interface AutocannonClient extends EventEmitter {
    requestIterator: { currentRequest: AutocannonRequest };
    destroy(): void;
  }
  interface AutocannonOptions {
    url: string;
    connections: number;
    duration: number;
    timeout: number;
    sampleInt?: number;
    requests: AutocannonRequest[];
    setupClient?: (client: AutocannonClient) => void;
  }
  interface AutocannonInstance extends EventEmitter {
    stop(): void;
  }
  function init(opts: init.AutocannonOptions, cb: (err: Error | null, result: unknown) => void): init.AutocannonInstance;
  namespace init {
    export { AutocannonRequest, AutocannonClient, AutocannonOptions, AutocannonInstance };
  }
  export = init;
}
