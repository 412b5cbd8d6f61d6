/**
 * A stand-in for @types/restify, which is not installed here, for the rule tests' "with types"
 * cases: written for these tests, it keeps only the shapes of the real declarations that the
 * rules and their fixes meet — `Server extends http.Server`, `listen(...args: any[]): any` (so
 * what `listen()` returns is untyped), `close(callback?: () => any)`, route methods taking
 * `(req, res, next)` handlers, `use()` returning the server. A project file, not a package in
 * node_modules: it types the code the fixes write; it does not make restify's values
 * recognisable by type (that path needs the declarations under node_modules/@types).
 */
export const RESTIFY_DECLARATIONS = {
  'src/restify.d.ts': `declare module 'restify' {
  import http = require('http');

  export interface Request extends http.IncomingMessage {
    params: Record<string, string>;
    body?: any;
    path(): string;
  }
  export interface Response extends http.ServerResponse {
    send(code?: any, body?: any, headers?: Record<string, string>): any;
  }
  export type Next = (err?: any) => void;
  export type RequestHandler = (req: Request, res: Response, next: Next) => any;
  export type RequestHandlerType = RequestHandler | RequestHandler[];

  export interface Server extends http.Server {
    listen(...args: any[]): any;
    close(callback?: () => any): any;
    get(opts: string | RegExp, ...handlers: RequestHandlerType[]): any;
    head(opts: string | RegExp, ...handlers: RequestHandlerType[]): any;
    post(opts: string | RegExp, ...handlers: RequestHandlerType[]): any;
    put(opts: string | RegExp, ...handlers: RequestHandlerType[]): any;
    del(opts: string | RegExp, ...handlers: RequestHandlerType[]): any;
    use(...handlers: RequestHandlerType[]): Server;
    pre(...handlers: RequestHandlerType[]): Server;
  }

  export function createServer(options?: { name?: string }): Server;

  export namespace plugins {
    function queryParser(): RequestHandler;
    function bodyParser(): RequestHandler[];
  }
}
`,
};

/** A restify API with a health route and a SIGTERM handler that closes the server: neither rule reports it. */
export const RESTIFY_HEALTHY = `import restify from 'restify';

const server = restify.createServer({ name: 'orders-api' });
server.use(restify.plugins.queryParser());

server.get('/healthz', (_req, res, next) => {
  res.send(200, { status: 'ok' });
  next();
});
server.del('/orders/:id', (req, res, next) => {
  res.send(204);
  next();
});

server.listen(8080);

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
`;
