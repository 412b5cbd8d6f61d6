import { defineItem } from '../types';
import { at, base, declared, hasDatabase, hasService, looked, mounted, snippetFor, used, verdict } from './evidence';

export const authentication = defineItem({
  id: 'security.authentication',
  title: 'Authentication',
  evaluate(facts) {
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    const uses = used(facts, 'authentication');
    if (uses.length > 0) return verdict('pass', uses.slice(0, 4).map((u) => at(u, `${u.module} used`)), 'Check every non-public route is behind it (a global guard with explicit public routes is safer than per-route opt-in).');
    const decl = declared(facts, 'authentication');
    return verdict('warn', [...decl.map((d) => at(d, `${d.module} is a dependency but is never used in code`)), looked('looked for passport, jsonwebtoken, jose, @fastify/jwt, @nestjs/passport, express-session… used in the code: none found')], 'Authenticate requests (JWT verification, sessions), or answer n/a if the API is public or a gateway authenticates for it.');
  },
});

export const inputValidation = defineItem({
  id: 'security.input-validation',
  title: 'Input validation',
  evaluate(facts) {
    const validators = used(facts, 'inputValidation');
    const framework = facts.code.frameworkValidation;
    const bodies = facts.code.bodyReads;
    if (validators.length > 0 || framework.length > 0) {
      return verdict('pass', [...framework.slice(0, 2).map((f) => at(f, 'request bodies validated by the framework (schema / ValidationPipe)')), ...validators.slice(0, 3).map((v) => at(v, `${v.module} used`))], 'Validate params and query strings too, and reject unknown fields.');
    }
    if (bodies.length === 0) return verdict(hasService(facts) ? 'pass' : 'n/a', [looked('no request body is read in the code')], 'Validate params and query strings before using them.');
    return verdict('fail', [at(bodies[0], `${bodies.length} request body read${bodies.length === 1 ? '' : 's'} (first here), and no validation library (zod, joi, class-validator, ajv…) or route schema`)], 'Validate every body before using it:' + snippetFor(facts, {
      express: "const CreateOrder = z.object({ customerId: z.number().int(), items: z.array(z.object({ sku: z.string(), qty: z.number().int().positive() })) });\napp.post('/orders', (req, res) => {\n  const parsed = CreateOrder.safeParse(req.body);\n  if (!parsed.success) return res.status(400).json(parsed.error.flatten());\n  // use parsed.data\n});",
      fastify: "app.post('/orders', { schema: { body: { type: 'object', required: ['customerId'], properties: { customerId: { type: 'integer' } }, additionalProperties: false } } }, handler);",
      nestjs: 'app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));',
      default: 'const body = CreateOrder.parse(JSON.parse(raw)); // zod',
    }));
  },
});

export const sqlInjection = defineItem({
  id: 'security.sql-injection',
  title: 'No SQL built from request data',
  evaluate(facts) {
    if (!hasDatabase(facts)) return verdict('n/a', [looked('no database library in package.json or code')], 'Nothing to do.');
    const found = facts.code.interpolatedSql;
    const fromRequest = found.filter((f) => f.fromRequest);
    const next = 'Pass values as parameters, never in the SQL text:\n\n```ts\nawait pool.query(\'SELECT * FROM orders WHERE customer_id = $1\', [req.params.id]);\n```\nIdentifiers (sort columns) must come from an allow-list.';
    if (fromRequest.length > 0) return verdict('fail', fromRequest.map((f) => at(f, `${f.call}: SQL text built by interpolating request data`)), next);
    if (found.length > 0) return verdict('warn', found.map((f) => at(f, `${f.call}: SQL text built by interpolation (values not traced to the request; check they cannot come from a user)`)), next);
    return verdict('pass', [looked(`${facts.code.dbCalls} database calls checked; none builds its SQL text by interpolation or concatenation`)], 'Keep using parameters or tagged templates.');
  },
});

export const secrets = defineItem({
  id: 'security.secrets',
  title: 'No secrets in the repository',
  evaluate(facts) {
    const tracked = facts.repo.envFilesTracked;
    const notIgnored = facts.repo.envFilesNotIgnored.filter((f) => !tracked.includes(f));
    const matches = facts.repo.secretMatches;
    const evidence = [
      ...tracked.map((f) => at({ file: f, line: 0 }, `${base(f)} is committed (in the git index)`)),
      ...notIgnored.map((f) => at({ file: f, line: 0 }, `${base(f)} is not covered by .gitignore: it will be committed`)),
      ...matches.map((m) => at(m, `${m.kind} in the file`)),
    ];
    if (tracked.length > 0 || matches.length > 0) return verdict('fail', evidence, 'Rotate the exposed credentials first, then remove them from the history (git filter-repo) and load secrets from the environment or a secret manager. Add `.env` to .gitignore and commit a `.env.example` without values.');
    if (notIgnored.length > 0) return verdict('warn', evidence, 'Add `.env*` (except `.env.example`) to .gitignore.');
    return verdict('pass', [looked('no .env file outside .gitignore, none in the git index, and no private keys, cloud tokens or passworded database URLs in the sources and configs')], 'Scan for secrets in CI too (gitleaks).');
  },
});

export const securityHeaders = defineItem({
  id: 'security.security-headers',
  title: 'Security headers',
  evaluate(facts) {
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    const m = mounted(facts, 'securityHeaders');
    const u = used(facts, 'securityHeaders');
    const literals = facts.code.securityHeaderLiterals;
    if (m.length > 0) return verdict('pass', m.slice(0, 3).map((x) => at(x, `${x.module} mounted`)), 'Nothing more to do for a JSON API.');
    if (u.length > 0) return verdict('warn', u.slice(0, 3).map((x) => at(x, `${x.module} is set up here but not mounted on the app`)), 'Mount it: `app.use(helmet())` / `app.register(helmet)`.');
    if (literals.length > 0) return verdict('pass', literals.slice(0, 3).map((l) => at(l, 'security header set by hand')), 'Consider helmet to keep the set complete.');
    return verdict('warn', [looked('looked for helmet, @fastify/helmet, koa-helmet mounted, and Strict-Transport-Security / X-Content-Type-Options set by hand: none found')], 'Send the standard security headers:' + snippetFor(facts, {
      express: "import helmet from 'helmet';\napp.use(helmet());",
      fastify: "await app.register(import('@fastify/helmet'));",
      nestjs: "import helmet from 'helmet';\napp.use(helmet());",
      koa: "import helmet from 'koa-helmet';\napp.use(helmet());",
      hono: "import { secureHeaders } from 'hono/secure-headers';\napp.use(secureHeaders());",
      default: "res.setHeader('X-Content-Type-Options', 'nosniff');\nres.setHeader('Strict-Transport-Security', 'max-age=31536000');",
    }));
  },
});

export const tls = defineItem({
  id: 'security.tls',
  title: 'TLS',
  evaluate(facts) {
    const off = facts.code.tlsVerificationOff;
    if (off.length > 0) return verdict('fail', off.map((o) => at(o, 'certificate verification turned off: anyone on the path can read and change this traffic')), 'Remove `rejectUnauthorized: false` / NODE_TLS_REJECT_UNAUTHORIZED=0; give the client the CA it needs (`ssl: { ca }`).');
    const evidence = [...facts.code.tlsServers.map((s) => at(s, 'TLS terminated in the process')), ...facts.manifests.ingresses.filter((i) => i.tls).map((i) => at(i, 'Ingress with tls'))];
    if (evidence.length > 0) return verdict('pass', evidence, 'Redirect HTTP to HTTPS and send Strict-Transport-Security.');
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    return verdict('manual', [looked('no TLS server in the code and no Ingress with tls; TLS usually terminates at a load balancer outside the repository')], 'Make sure a load balancer terminates TLS in front of the service (and the database connection uses TLS), then answer this item.');
  },
});

export const securityItems = [authentication, inputValidation, sqlInjection, secrets, securityHeaders, tls];
