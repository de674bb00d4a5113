import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { ConfigFileNotFoundError } from './config-file-not-found-error.js';
import { loadConfigFile } from './load-config-file.js';

const now = 1_700_000_000_000;
const example = `
ceilings:
  - { key: prod, provider: openai, model: gpt-4o-mini, rpm: 500, tpm: 200000, concurrency: 20 }
rules:
  - { name: tight utilization, kind: utilization, severity: warning, threshold: 0.7, forSeconds: 5 }
webhooks:
  - { url: "https://hooks.slack.com/services/T/B/X" }
`;
const expected = {
  ceilings: [
    {
      id: expect.stringMatching(/^config-ceiling-[0-9a-f]{12}$/),
      key: 'prod',
      provider: 'openai',
      model: 'gpt-4o-mini',
      rpm: 500,
      tpm: 200_000,
      concurrency: 20,
      updatedAt: now,
    },
  ],
  rules: [
    {
      id: expect.stringMatching(/^config-rule-[0-9a-f]{12}$/),
      name: 'tight utilization',
      kind: 'utilization',
      severity: 'warning',
      threshold: 0.7,
      forSeconds: 5,
      clearMargin: 0.05,
      selector: {},
      enabled: true,
      updatedAt: now,
    },
  ],
  webhooks: [
    {
      id: expect.stringMatching(/^config-webhook-[0-9a-f]{12}$/),
      url: 'https://hooks.slack.com/services/T/B/X',
      severities: [],
      enabled: true,
      updatedAt: now,
    },
  ],
};

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'headroom-config-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

function messageOf(path: string): string {
  try {
    loadConfigFile(path, { now });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfigFile', () => {
  it('reads headroom.yaml', () => {
    expect(loadConfigFile(file('headroom.yaml', example), { now })).toStrictEqual(expected);
  });

  it('reads .yml and .json the same', () => {
    const yml = loadConfigFile(file('headroom.yml', example), { now });
    const json = loadConfigFile(
      file(
        'headroom.json',
        JSON.stringify({
          ceilings: [
            {
              key: 'prod',
              provider: 'openai',
              model: 'gpt-4o-mini',
              rpm: 500,
              tpm: 200000,
              concurrency: 20,
            },
          ],
          rules: [
            {
              name: 'tight utilization',
              kind: 'utilization',
              severity: 'warning',
              threshold: 0.7,
              forSeconds: 5,
            },
          ],
          webhooks: [{ url: 'https://hooks.slack.com/services/T/B/X' }],
        }),
      ),
      { now },
    );
    expect(yml).toStrictEqual(expected);
    expect(json).toStrictEqual(yml);
  });

  it('derives the same ids at every load, so a restart updates instead of adding copies', () => {
    const path = file('headroom.yaml', example);
    const ids = (config: ReturnType<typeof loadConfigFile>) =>
      [...config.ceilings, ...config.rules, ...config.webhooks].map((item) => item.id);
    expect(ids(loadConfigFile(path))).toStrictEqual(ids(loadConfigFile(path)));
    const edited = loadConfigFile(file('edited.yaml', example.replace('500', '600')), { now });
    expect(edited.ceilings[0]?.id).toBe(loadConfigFile(path).ceilings[0]?.id);
  });

  it('keeps the ids the file gives', () => {
    const path = file(
      'headroom.yaml',
      'ceilings:\n  - { id: prod-mini, key: prod, provider: openai, model: m, rpm: 1 }\n' +
        'webhooks:\n  - { id: slack, url: "https://x.test/" }\n',
    );
    const config = loadConfigFile(path, { now });
    expect(config.ceilings.map((item) => item.id)).toStrictEqual(['prod-mini']);
    expect(config.webhooks.map((item) => item.id)).toStrictEqual(['slack']);
  });

  it('reads an empty file, and empty sections, as nothing configured', () => {
    const none = { ceilings: [], rules: [], webhooks: [] };
    expect(loadConfigFile(file('empty.yaml', ''), { now })).toStrictEqual(none);
    expect(loadConfigFile(file('comments.yaml', '# nothing yet\n'), { now })).toStrictEqual(none);
    const sections = 'ceilings:\nrules: []\n# webhooks:\n#   - { url: "https://x.test" }\n';
    expect(loadConfigFile(file('sections.yaml', sections), { now })).toStrictEqual(none);
    expect(loadConfigFile(file('empty.json', '{}'), { now })).toStrictEqual(none);
  });

  it('names the file, the item and the field of a bad value', () => {
    const path = file('headroom.yaml', example.replace('rpm: 500', 'rpm: fast'));
    expect(messageOf(path)).toBe(
      `${path}: ceilings[0]: Expected \`rpm\` to be a positive integer, got "fast"`,
    );
    const rules = file(
      'rules.yaml',
      'rules:\n  - { name: a, kind: rate_limited, severity: critical }\n' +
        '  - { name: b, kind: predictive, severity: warning }\n',
    );
    expect(messageOf(rules)).toBe(
      `${rules}: rules[1]: Missing \`withinSeconds\`: expected an integer from 1 to 3600 for a predictive rule`,
    );
    const webhooks = file(
      'hooks.json',
      '{ "webhooks": [{ "url": "https://x.test", "enabld": false }] }',
    );
    expect(messageOf(webhooks)).toBe(
      `${webhooks}: webhooks[0]: Unknown field \`enabld\` (did you mean \`enabled\`?)`,
    );
  });

  it('names a bad top level', () => {
    expect(messageOf(file('a.yaml', 'ceiling:\n  - { key: k }\n'))).toBe(
      `${join(directory, 'a.yaml')}: Unknown field \`ceiling\` (did you mean \`ceilings\`?)`,
    );
    expect(messageOf(file('b.yaml', 'ceilings: { key: k }\n'))).toBe(
      `${join(directory, 'b.yaml')}: Expected \`ceilings\` to be a list of ceilings, got an object`,
    );
    expect(messageOf(file('c.yaml', '- { key: k }\n'))).toBe(
      `${join(directory, 'c.yaml')}: Expected the file to be an object, got a list`,
    );
  });

  it('refuses two items that would be stored as one', () => {
    const ceilings = file(
      'ceilings.yaml',
      'ceilings:\n' +
        '  - { key: prod, provider: openai, model: m, rpm: 1 }\n' +
        '  - { key: staging, provider: openai, model: m, rpm: 1 }\n' +
        '  - { id: other, key: prod, provider: openai, model: m, tpm: 5 }\n',
    );
    expect(messageOf(ceilings)).toBe(
      `${ceilings}: ceilings[2]: Same key, provider and model as ceilings[0]: "prod", "openai", "m"`,
    );
    const rules = file(
      'rules.yaml',
      'rules:\n' +
        '  - { name: any 429, kind: rate_limited, severity: critical }\n' +
        '  - { name: any 429, kind: rate_limited, severity: warning }\n',
    );
    expect(messageOf(rules)).toBe(`${rules}: rules[1]: Same name as rules[0]: "any 429"`);
    const webhooks = file(
      'webhooks.yaml',
      'webhooks:\n  - { url: "https://x.test/a" }\n  - { url: "https://x.test/a" }\n',
    );
    expect(messageOf(webhooks)).toBe(
      `${webhooks}: webhooks[1]: Same url as webhooks[0]: "https://x.test/…"`,
    );
    const ids = file(
      'ids.yaml',
      'webhooks:\n  - { id: w, url: "https://x.test/a" }\n  - { id: w, url: "https://x.test/b" }\n',
    );
    expect(messageOf(ids)).toBe(`${ids}: webhooks[1]: Same id as webhooks[0]: "w"`);
  });

  it('refuses a webhook to a private address, unless allowPrivateWebhooks opens it', () => {
    const path = file(
      'private.yaml',
      'webhooks:\n  - { url: "http://10.0.0.5:9000/services/secret" }\n',
    );
    expect(messageOf(path)).toBe(
      `${path}: webhooks[0]: url: 10.0.0.5 is a private address; webhooks may not target it (start with --allow-private-webhooks for local receivers)`,
    );
    expect(
      loadConfigFile(path, { allowPrivateWebhooks: true }).webhooks.map((item) => item.url),
    ).toEqual(['http://10.0.0.5:9000/services/secret']);
  });

  it('says a missing file is missing', () => {
    const path = join(directory, 'headroom.yaml');
    expect(() => loadConfigFile(path)).toThrow(ConfigFileNotFoundError);
    expect(messageOf(path)).toBe(`Config file not found: ${path}`);
  });

  it('names a file it cannot read or parse', () => {
    const folder = join(directory, 'folder.yaml');
    mkdirSync(folder);
    expect(messageOf(folder)).toMatch(
      /^.*folder\.yaml: Cannot read: EISDIR: illegal operation on a directory, read$/,
    );
    expect(messageOf(file('bad.yaml', 'ceilings:\n  - { key: [ }\n'))).toMatch(
      /^.*bad\.yaml: Invalid YAML: .* at line 2, column \d+$/,
    );
    expect(messageOf(file('twice.yaml', 'rules: []\nrules: []\n'))).toMatch(
      /^.*twice\.yaml: Invalid YAML: Map keys must be unique at line 2, column 1$/,
    );
    expect(messageOf(file('bad.json', '{ "ceilings": [ }'))).toMatch(
      /^.*bad\.json: Invalid JSON: Unexpected token/,
    );
    expect(messageOf(file('headroom.toml', 'x = 1'))).toBe(
      `${join(directory, 'headroom.toml')}: Expected a .yaml, .yml or .json file, got \`.toml\``,
    );
  });
});
