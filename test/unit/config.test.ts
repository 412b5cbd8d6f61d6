import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, parseConfigText, DEFAULT_HEALTH_PATHS } from '../../src/core/config';
import { allRules } from '../../src/core/rules';
import { createWorkspace, removeWorkspace } from '../helpers/workspace';

const FILE = '/x/shipshape.config.json';

describe('config', () => {
  it('returns the defaults when there is no shipshape.config.json', () => {
    const root = createWorkspace({ files: {} });
    try {
      const { config, problems, file } = loadConfig(root);
      assert.deepEqual(problems, []);
      assert.equal(file, undefined);
      assert.deepEqual(config.healthPaths, DEFAULT_HEALTH_PATHS);
      assert.deepEqual(config.rules, {});
    } finally {
      removeWorkspace(root);
    }
  });

  it('reads severities given as strings and as objects with options', () => {
    const { value, problems } = parseConfigText(
      JSON.stringify({ rules: { 'n-plus-one': { severity: 'error', interprocedural: false }, 'missing-health-endpoint': 'info' }, healthPaths: ['/up'] }),
      '/x/shipshape.config.json',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(value?.rules, {
      'n-plus-one': { severity: 'error', options: { interprocedural: false } },
      'missing-health-endpoint': { severity: 'info', options: {} },
    });
    assert.deepEqual(value?.healthPaths, ['/up']);
  });

  it('names the line and column of a JSON syntax error', () => {
    const { problems } = parseConfigText('{\n  "rules": {,\n}', '/x/shipshape.config.json');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].message, 'shipshape.config.json is not valid JSON at line 2, column 13 (value expected). Fix the syntax.');
  });

  it('names an unknown top-level key and lists the expected ones', () => {
    const { problems } = parseConfigText('{"rule": {}}', '/x/shipshape.config.json');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].key, 'rule');
    assert.match(problems[0].message, /unknown key `rule` at the top level; expected one of: rules, include, exclude/);
  });

  it('names an unknown rule id', () => {
    const { problems } = parseConfigText('{"rules": {"n-plus-two": "warning"}}', '/x/shipshape.config.json');
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].key, 'rules.n-plus-two');
    assert.match(problems[0].message, /`rules\.n-plus-two` is not a Shipshape rule; expected one of: n-plus-one/);
  });

  it('names a bad severity with the key and the allowed values', () => {
    const { problems } = parseConfigText('{"rules": {"n-plus-one": "loud"}}', '/x/shipshape.config.json');
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].key, 'rules.n-plus-one');
    assert.match(problems[0].message, /`rules\.n-plus-one` must be a severity \(off, info, warning, error\)/);
  });

  it('rejects a health path that is not a path', () => {
    const { problems } = parseConfigText('{"healthPaths": ["health"]}', '/x/shipshape.config.json');
    assert.equal(problems[0].key, 'healthPaths.0');
    assert.match(problems[0].message, /`healthPaths\.0` must match pattern/);
  });

  it('lets the config file win over editor settings', () => {
    const root = createWorkspace({ files: { 'shipshape.config.json': JSON.stringify({ healthPaths: ['/alive'], rules: { 'n-plus-one': 'error' } }) } });
    try {
      const { config } = loadConfig(root, { healthPaths: ['/from-settings'], exclude: ['gen/**'], rules: { 'n-plus-one': { severity: 'info', options: {} } } });
      assert.deepEqual(config.healthPaths, ['/alive']);
      assert.deepEqual(config.exclude, ['gen/**']);
      assert.equal(config.rules['n-plus-one'].severity, 'error');
    } finally {
      removeWorkspace(root);
    }
  });
});

describe('config: rule options are validated against the schema each rule declares', () => {
  it('rejects an option of the wrong type, naming the key: "no" is not false', () => {
    const { value, problems } = parseConfigText('{"rules": {"n-plus-one": {"interprocedural": "no"}}}', FILE);
    assert.equal(value, undefined);
    assert.deepEqual(problems, [{ file: FILE, key: 'rules.n-plus-one.interprocedural', message: 'shipshape.config.json: `rules.n-plus-one.interprocedural` must be true or false.' }]);
  });

  it('rejects an unknown option and lists the ones the rule takes', () => {
    const { problems } = parseConfigText('{"rules": {"n-plus-one": {"severity": "error", "interprocedurl": false}}}', FILE);
    assert.deepEqual(problems.map((p) => [p.key, p.message]), [
      ['rules.n-plus-one.interprocedurl', 'shipshape.config.json: `rules.n-plus-one.interprocedurl` is not an option of n-plus-one; its options are: severity, interprocedural, reportWrites, ignoreTestFiles.'],
    ]);
  });

  it('says so when a rule takes no options besides its severity', () => {
    const { problems } = parseConfigText('{"rules": {"missing-health-endpoint": {"severity": "info", "extra": 1}}}', FILE);
    assert.deepEqual(problems.map((p) => p.message), ['shipshape.config.json: `rules.missing-health-endpoint.extra` is not an option of missing-health-endpoint; it takes no options besides `severity`.']);
  });

  it('names the element of an array option that breaks its pattern', () => {
    const { problems } = parseConfigText('{"rules": {"missing-graceful-shutdown": {"signals": ["SIGTERM", "term"]}}}', FILE);
    assert.deepEqual(problems.map((p) => p.key), ['rules.missing-graceful-shutdown.signals.1']);
    assert.match(problems[0].message, /`rules\.missing-graceful-shutdown\.signals\.1` must match pattern "\^SIG\[A-Z0-9\]\+\$"/);
  });

  it("accepts every rule's own defaults as options", () => {
    for (const rule of allRules()) {
      const { problems } = parseConfigText(JSON.stringify({ rules: { [rule.meta.id]: { severity: 'warning', ...(rule.defaultOptions as object) } } }), FILE);
      assert.deepEqual(problems, [], rule.meta.id);
    }
  });
});

describe('config: files that would hang, crash or mislead are refused with one line', () => {
  let root: string;
  beforeEach(() => {
    root = createWorkspace({ files: {} });
  });
  afterEach(() => removeWorkspace(root));
  const configPath = () => path.join(root, 'shipshape.config.json');

  it('refuses a config symlinked to /dev/zero without reading it', () => {
    fs.symlinkSync('/dev/zero', configPath());
    const { problems, config } = loadConfig(root);
    assert.deepEqual(problems.map((p) => p.message), ['shipshape.config.json is not a regular file (a device); replace it with a plain file.']);
    assert.deepEqual(config.healthPaths, DEFAULT_HEALTH_PATHS);
  });

  it('refuses a named pipe without blocking on it', () => {
    execFileSync('mkfifo', [configPath()]);
    assert.deepEqual(loadConfig(root).problems.map((p) => p.message), ['shipshape.config.json is not a regular file (a named pipe); replace it with a plain file.']);
  });

  it('refuses a config over 1 MB', () => {
    fs.writeFileSync(configPath(), JSON.stringify({ healthPaths: ['/' + 'a'.repeat(1024 * 1024)] }));
    assert.match(loadConfig(root).problems[0].message, /^shipshape\.config\.json is 1\.0 MB, over the 1 MB limit; Shipshape does not read it\.$/);
  });

  it('accepts a UTF-8 byte order mark', () => {
    fs.writeFileSync(configPath(), '\ufeff{"healthPaths": ["/up"]}');
    const { problems, config } = loadConfig(root);
    assert.deepEqual(problems, []);
    assert.deepEqual(config.healthPaths, ['/up']);
  });

  it('refuses a config nested 10,000 levels (schema-valid under an open object) without overflowing', () => {
    const { problems } = parseConfigText(`{"loadtest": {"x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}`, FILE);
    assert.deepEqual(problems.map((p) => p.message), ['shipshape.config.json nests deeper than 64 levels; no Shipshape setting needs more than a few. Flatten it.']);
  });

  it('rejects __proto__: it never turns a rule off behind the validation', () => {
    const { value, problems } = parseConfigText('{"__proto__": {"rules": {"n-plus-one": "off"}}}', FILE);
    assert.equal(value, undefined);
    assert.deepEqual(problems.map((p) => [p.key, p.message]), [
      ['__proto__', "shipshape.config.json: `__proto__` is not allowed: `__proto__` is not a setting, and a parser would turn it into the object's prototype. Remove it."],
    ]);
    const nested = parseConfigText('{"loadtest": {"scenarios": [{"constructor": {}}]}}', FILE);
    assert.deepEqual(nested.problems.map((p) => p.key), ['loadtest.scenarios.0.constructor']);
  });

  it('rejects an empty exclude pattern through the schema (picomatch would throw on it)', () => {
    const { problems } = parseConfigText('{"exclude": [""]}', FILE);
    assert.deepEqual(problems.map((p) => [p.key, p.message]), [['exclude.0', 'shipshape.config.json: `exclude.0` must not be empty.']]);
  });

  it('bounds the number of exclude patterns (150,000 exhausted the heap) and names the first problems only', () => {
    const many = parseConfigText(JSON.stringify({ exclude: Array.from({ length: 150_000 }, (_, i) => `gen/${i}/**`) }), FILE);
    assert.deepEqual(many.problems.map((p) => p.message), ['shipshape.config.json: `exclude` has more than 1000 entries; use fewer, broader patterns.']);
    const empties = parseConfigText(JSON.stringify({ exclude: Array.from({ length: 50 }, () => '') }), FILE);
    assert.equal(empties.problems.length, 11);
    assert.equal(empties.problems[10].message, 'shipshape.config.json: 40 more problems like these.');
  });
});
