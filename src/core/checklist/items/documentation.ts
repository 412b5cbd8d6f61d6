import { defineItem } from '../types';
import { at, hasService, imported, looked, used, verdict } from './evidence';

export const readme = defineItem({
  id: 'documentation.readme',
  title: 'README',
  evaluate(facts) {
    const r = facts.repo.readme;
    if (!r) return verdict('fail', [looked('no README at the repository root')], 'Write a README: what the service does, how to run it locally (`npm ci && npm run dev`), its configuration (environment variables) and how it is deployed.');
    if (r.chars < 300) return verdict('warn', [at(r, `README has ${r.chars} characters`)], 'Say how to run the service locally, what it needs (database, environment variables) and how it is deployed.');
    if (!r.hasRunInstructions) return verdict('warn', [at(r, 'README does not say how to install or run the service')], 'Add a "Getting started" section with the commands to install, configure and run it.');
    return verdict('pass', [at(r, `README with run instructions (${r.chars} characters)`)], 'Keep the environment variables it lists in sync with the config validation.');
  },
});

export const apiDocs = defineItem({
  id: 'documentation.api-docs',
  title: 'API documentation',
  evaluate(facts) {
    const files = facts.repo.openApi;
    const libs = [...used(facts, 'apiDocs'), ...imported(facts, 'apiDocs')];
    if (files.length > 0 || libs.length > 0) return verdict('pass', [...files.slice(0, 3).map((f) => at(f, 'OpenAPI document')), ...libs.slice(0, 3).map((l) => at(l, `${l.module} generates or serves the API description`))], 'Check the document in CI against the routes (or generate it from them).');
    if (!hasService(facts)) return verdict('n/a', [looked('no HTTP server in the project')], 'Nothing to do.');
    return verdict('warn', [looked('no openapi/swagger document and no OpenAPI generator (@nestjs/swagger, @fastify/swagger, swagger-jsdoc, tsoa, zod-to-openapi) in the code')], 'Describe the API in OpenAPI, generated from the route schemas where the framework allows (@fastify/swagger, @nestjs/swagger).');
  },
});

export const architecture = defineItem({
  id: 'documentation.architecture',
  title: 'Architecture documentation',
  evaluate(facts) {
    const docs = facts.repo.architectureDocs;
    if (docs.length > 0) return verdict('pass', docs.slice(0, 4).map((d) => at(d, 'architecture document')), 'Record decisions as ADRs as they are made.');
    return verdict('manual', [looked('no ARCHITECTURE.md, docs/architecture*, ADR folder or diagram file in the repository')], 'Write down the service\'s dependencies, data flows and failure modes (ARCHITECTURE.md), or answer this item if it lives in a wiki.');
  },
});

export const onCall = defineItem({
  id: 'documentation.on-call',
  title: 'On-call',
  evaluate(facts) {
    return verdict('manual', [...facts.repo.onCallDocs.map((d) => at(d, 'on-call document')), looked('who is paged for this service, and how, is not something files can show')], 'Name the rotation that owns the service, the escalation path and where alerts page, then answer this item.');
  },
});

export const documentationItems = [readme, apiDocs, architecture, onCall];
