/**
 * The npm packages each checklist item recognises, by capability. An item asks "is a package of
 * this capability used (called, mounted) in the code?" through import provenance; adding a
 * library to an item is one line here.
 */
export const CAPABILITY_PACKAGES = {
  logging: ['pino', 'pino-http', 'winston', 'bunyan', 'nestjs-pino', 'log4js', 'express-winston', 'express-pino-logger', 'koa-pino-logger', 'roarr', 'loglevel', 'consola', 'tslog', '@logtape/logtape'],
  /** Loggers whose default output is one JSON object per line. */
  jsonByDefault: ['pino', 'pino-http', 'bunyan', 'nestjs-pino', 'express-pino-logger', 'koa-pino-logger', 'roarr'],
  metrics: ['prom-client', 'express-prom-bundle', 'fastify-metrics', '@willsoto/nestjs-prometheus', '@opentelemetry/sdk-metrics', '@opentelemetry/exporter-prometheus', 'hot-shots', 'node-statsd', 'statsd-client', '@promster/express', '@promster/fastify', 'prometheus-api-metrics', 'datadog-metrics'],
  requestIds: ['express-request-id', 'cls-rtracer', 'express-http-context', 'nestjs-cls', 'correlation-id', 'express-correlation-id', 'koa-requestid', '@fastify/request-context', 'request-ip'],
  tracing: ['@opentelemetry/sdk-node', '@opentelemetry/api', '@opentelemetry/auto-instrumentations-node', '@opentelemetry/sdk-trace-node', '@opentelemetry/sdk-trace-base', 'dd-trace', 'elastic-apm-node', 'newrelic', '@sentry/node', 'jaeger-client', '@vercel/otel', '@autotelic/fastify-opentelemetry', 'honeycomb-beeline', '@honeycombio/opentelemetry-node'],
  retries: ['p-retry', 'async-retry', 'axios-retry', 'retry', 'cockatiel', 'exponential-backoff', 'promise-retry', 'retry-axios', 'ts-retry-promise', 'fetch-retry'],
  circuitBreakers: ['opossum', 'cockatiel', 'brakes', 'mollitia', 'circuit-breaker-js', 'hystrixjs'],
  /** Plugins that validate the environment when registered. */
  envPlugins: ['@fastify/env', 'env-schema'],
  rateLimiting: ['express-rate-limit', 'rate-limiter-flexible', '@fastify/rate-limit', 'fastify-rate-limit', '@nestjs/throttler', 'koa-ratelimit', 'hono-rate-limiter', 'express-slow-down', 'express-brute', '@upstash/ratelimit'],
  envValidation: ['envalid', 'zod', 'joi', '@hapi/joi', 'yup', 'ajv', 'env-var', '@t3-oss/env-core', 'convict', 'valibot', '@sinclair/typebox', 'class-validator', 'env-schema', '@fastify/env', 'superstruct', 'arktype'],
  inputValidation: ['zod', 'joi', '@hapi/joi', 'yup', 'class-validator', 'ajv', '@sinclair/typebox', 'valibot', 'express-validator', 'celebrate', 'superstruct', 'io-ts', 'arktype', '@hono/zod-validator', 'zod-express-middleware', 'express-openapi-validator', '@effect/schema', 'fastest-validator', 'typia'],
  authentication: ['passport', 'jsonwebtoken', 'jose', '@fastify/jwt', '@nestjs/passport', '@nestjs/jwt', 'express-jwt', 'express-openid-connect', '@auth/express', 'better-auth', 'lucia', 'express-session', '@fastify/auth', '@fastify/session', 'koa-jwt', 'koa-passport', 'jwks-rsa', 'firebase-admin', '@clerk/express', '@clerk/clerk-sdk-node', 'passport-jwt', 'oidc-provider', 'openid-client', '@supabase/supabase-js', 'express-basic-auth', '@fastify/basic-auth', 'aws-jwt-verify'],
  securityHeaders: ['helmet', '@fastify/helmet', 'fastify-helmet', 'koa-helmet', 'lusca'],
  featureFlags: ['launchdarkly-node-server-sdk', '@launchdarkly/node-server-sdk', 'unleash-client', '@growthbook/growthbook', 'flagsmith-nodejs', '@openfeature/server-sdk', '@vercel/flags', 'configcat-node', '@splitsoftware/splitio', 'flagsmith', '@devcycle/nodejs-server-sdk', 'posthog-node'],
  apiDocs: ['@nestjs/swagger', '@fastify/swagger', 'fastify-swagger', 'swagger-jsdoc', 'swagger-ui-express', 'tsoa', '@asteasolutions/zod-to-openapi', '@hono/zod-openapi', 'express-openapi', 'koa2-swagger-ui', '@ts-rest/open-api', 'express-oas-generator', 'openapi3-ts', '@fastify/swagger-ui', 'express-openapi-validator'],
  integrationTesting: ['supertest', 'light-my-request', '@nestjs/testing', 'pactum', 'testcontainers', '@testcontainers/postgresql', 'pg-mem', 'nock', 'msw', 'superagent', 'undici'],
  testRunners: ['jest', 'vitest', 'mocha', 'ava', 'tap', 'jasmine', '@japa/runner', 'uvu', 'node:test'],
  loadTesting: ['k6', 'artillery', 'autocannon', 'loadtest', '@grafana/k6'],
  outboundClients: ['axios', 'got', 'node-fetch', 'undici', 'ky', 'superagent', 'needle', 'request', 'cross-fetch', 'isomorphic-fetch', '@nestjs/axios'],
} as const satisfies Record<string, readonly string[]>;

export type Capability = keyof typeof CAPABILITY_PACKAGES;

/** Environment-validation calls that take `process.env` whole, by package (any call with process.env as an argument counts). */
export const SQL_RAW_MEMBERS = new Set(['query', 'raw', '$queryRawUnsafe', '$executeRawUnsafe', 'unsafe', 'execute', 'none', 'one', 'many', 'any', 'oneOrNone', 'manyOrNone']);

/** Request-id header names; literals naming them show the service reads or sets one. */
export const REQUEST_ID_HEADERS = ['x-request-id', 'x-correlation-id', 'request-id', 'x-amzn-trace-id', 'traceparent', 'x-trace-id', 'x-cloud-trace-context'];

/** Response headers that security-header middleware sets; setting them by hand counts too. */
export const SECURITY_HEADERS = ['strict-transport-security', 'x-content-type-options', 'content-security-policy', 'x-frame-options'];
