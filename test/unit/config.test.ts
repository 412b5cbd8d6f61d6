import * as assert from 'node:assert/strict';
import { loadConfig, parseConfigText, DEFAULT_HEALTH_PATHS } from '../../src/core/config';
import { createWorkspace, removeWorkspace } from '../helpers/workspace';

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
      JSON.stringify({ rules: { 'n-plus-one': 'error', 'missing-health-endpoint': { severity: 'info', extra: 1 } }, healthPaths: ['/up'] }),
      '/x/shipshape.config.json',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(value?.rules, {
      'n-plus-one': { severity: 'error', options: {} },
      'missing-health-endpoint': { severity: 'info', options: { extra: 1 } },
    });
    assert.deepEqual(value?.healthPaths, ['/up']);
  });

  it('names the line and column of a JSON syntax error', () => {
    const { problems } = parseConfigText('{\n  "rules": {,\n}', '/x/shipshape.config.json');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^shipshape\.config\.json is not valid JSON at line 2, column 13 \(value expected\)/);
    assert.match(problems[0].message, /uses its defaults/);
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
