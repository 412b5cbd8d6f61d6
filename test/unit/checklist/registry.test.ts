import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import schema from '../../../schemas/shipshape.config.schema.json';
import { answersOf } from '../../../src/core/checklist/answers';
import { checklistItems, itemList } from '../../../src/core/checklist/registry';
import { scoreOf } from '../../../src/core/checklist/score';
import { allItemIds, CHECKLIST_CATEGORIES } from '../../../src/core/checklist/types';
import { REPO_ROOT } from '../../helpers/workspace';
import { checklistOf, evidence, EXPRESS_SERVER, item } from './helpers';

/** SPEC § Readiness checklist, verbatim: the contract the registry must match. */
const SPEC_ITEMS = `observability: health-endpoints, metrics, structured-logging, request-ids, tracing, alerts
reliability: graceful-shutdown, connection-pooling, outbound-timeouts, retries-backoff, circuit-breakers, rate-limiting, no-n-plus-one, indexed-queries, config-validation, crash-handlers
deployment: dockerfile, docker-multi-stage, docker-non-root, probes, rolling-updates, migrations-automated, ci-pipeline, feature-flags
disaster-recovery: backups, restore-tested, runbooks, failover
security: authentication, input-validation, sql-injection, secrets, security-headers, tls
documentation: readme, api-docs, architecture, on-call
testing: unit-tests, integration-tests, load-tests, coverage-threshold, security-scan`;

describe('checklist registry', () => {
  const specIds = SPEC_ITEMS.split('\n').flatMap((l) => {
    const [cat, items] = l.split(': ');
    return items.split(', ').map((i) => `${cat}.${i}`);
  });

  it('has one verdict function per SPEC item id, in SPEC order', () => {
    assert.deepEqual(allItemIds(), specIds);
    assert.deepEqual(itemList().map((i) => i.id), specIds);
    assert.deepEqual(Object.keys(CHECKLIST_CATEGORIES), ['observability', 'reliability', 'deployment', 'disaster-recovery', 'security', 'documentation', 'testing']);
  });

  const docsDir = path.join(REPO_ROOT, 'docs', 'checklist');
  const testsText = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.ts')).map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8')).join('\n');
  for (const id of specIds) {
    describe(id, () => {
      it('has a doc with what, why and how to fix', () => {
        const file = path.join(docsDir, `${id}.md`);
        assert.ok(fs.existsSync(file), `docs/checklist/${id}.md is missing`);
        const doc = fs.readFileSync(file, 'utf8');
        assert.ok(doc.startsWith(`# ${id}\n`));
        for (const section of ['## What it checks', '## Why it matters in production', '## How to fix']) assert.ok(doc.includes(section), `docs/checklist/${id}.md lacks "${section}"`);
      });
      it('is answerable in shipshape.config.json', () => {
        assert.ok((schema.properties.checklist.properties.answers.propertyNames.enum as string[]).includes(id));
      });
      it('has a verdict test', () => {
        assert.ok(testsText.includes(`'${id}'`), `no test in test/unit/checklist asserts the verdict of ${id}`);
      });
      it('gives a next step and a title', () => {
        const i = checklistItems[id as keyof typeof checklistItems];
        assert.ok(i.title.length > 2);
      });
    });
  }

  it('has no doc without an item', () => {
    const docs = fs.readdirSync(docsDir).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => f.replace(/\.md$/, ''));
    assert.deepEqual(docs.sort(), [...specIds].sort());
  });
});

describe('checklist scoring', () => {
  it('weighs a fail twice a warn and leaves manual and n/a out', () => {
    assert.equal(scoreOf(['pass', 'pass', 'pass', 'pass']), 100);
    assert.equal(scoreOf(['pass', 'warn']), 75);
    assert.equal(scoreOf(['pass', 'fail']), 50);
    assert.equal(scoreOf(['warn', 'warn']), 50);
    assert.equal(scoreOf(['fail', 'fail', 'manual', 'n/a']), 0);
    assert.equal(scoreOf(['pass', 'warn', 'fail', 'manual']), 50);
    assert.equal(scoreOf(['manual', 'n/a']), null);
  });

  it('scores categories and the whole from the items', () => {
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER }, dependencies: { express: '5.0.0' } });
    for (const c of r.categories) {
      const statuses = c.items.map((i) => i.status);
      assert.equal(c.score, scoreOf(statuses), c.id);
    }
    assert.equal(r.score, scoreOf(r.categories.flatMap((c) => c.items.map((i) => i.status))));
  });
});

describe('checklist answers', () => {
  it('an answer replaces the status and leads the evidence with its note and config line', () => {
    const config = JSON.stringify({ checklist: { answers: { 'disaster-recovery.restore-tested': { status: 'pass', note: 'restored into staging on 2026-11-20 in 14 min' }, 'reliability.rate-limiting': { status: 'n/a', note: 'the API gateway limits per key' } } } }, null, 2);
    const r = checklistOf({ files: { 'src/server.ts': EXPRESS_SERVER, 'src/pool.ts': "import { Pool } from 'pg';\nexport const pool = new Pool();\n", 'shipshape.config.json': config }, dependencies: { express: '5.0.0', pg: '8.0.0' } });
    const restore = item(r, 'disaster-recovery.restore-tested');
    assert.equal(restore.status, 'pass');
    assert.deepEqual(restore.answered, { note: 'restored into staging on 2026-11-20 in 14 min' });
    assert.equal(evidence(restore)[0], 'shipshape.config.json:4 answered pass in shipshape.config.json: restored into staging on 2026-11-20 in 14 min');
    const rate = item(r, 'reliability.rate-limiting');
    assert.equal(rate.status, 'n/a');
    assert.deepEqual(evidence(rate).slice(0, 2), ['shipshape.config.json:8 answered n/a in shipshape.config.json: the API gateway limits per key', "Shipshape's own verdict from the files: warn"]);
  });

  it('answersOf ignores entries that are not answers', () => {
    assert.deepEqual(answersOf({ checklist: { answers: { 'security.tls': { status: 'manual', note: 'x' }, 'security.secrets': 'pass' } } }), {});
    assert.deepEqual(answersOf({ checklist: {} }), {});
  });
});
