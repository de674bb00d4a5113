import { type BadRequest, post, replaced, shown } from './case.js';

/** What is stored under `corpus-<resource>` before the corpus runs, and what POST would add. */
export const VALID = {
  ceilings: { key: 'corpus-key', provider: 'openai', model: 'gpt-4o', rpm: 500 },
  rules: { name: 'corpus rule', kind: 'utilization', severity: 'warning', threshold: 0.8 },
  webhooks: { url: 'https://hooks.example.com/services/corpus' },
};

type Kind = 'string' | 'number' | 'boolean' | 'list' | 'object';
const WRONG: Record<Kind, unknown[]> = {
  string: [5, true, null, [], {}],
  number: ['5', true, null, [], {}],
  boolean: ['true', 1, null, []],
  list: ['warning', 5, {}],
  object: ['x', 5, []],
};
const FIELDS: Record<keyof typeof VALID, Record<string, Kind>> = {
  ceilings: {
    id: 'string',
    key: 'string',
    provider: 'string',
    model: 'string',
    rpm: 'number',
    tpm: 'number',
    concurrency: 'number',
    note: 'string',
  },
  rules: {
    id: 'string',
    name: 'string',
    kind: 'string',
    severity: 'string',
    threshold: 'number',
    forSeconds: 'number',
    clearMargin: 'number',
    selector: 'object',
    enabled: 'boolean',
  },
  webhooks: { id: 'string', url: 'string', severities: 'list', enabled: 'boolean' },
};

/** Values in range of their type but not of their field. */
const OUT_OF_RANGE: Record<keyof typeof VALID, Array<[string, unknown, string]>> = {
  ceilings: [
    ['rpm', 0, 'rpm'],
    ['rpm', -1, 'rpm'],
    ['rpm', 1.5, 'rpm'],
    ['tpm', 2e9, 'tpm'],
    ['concurrency', 1e308, 'concurrency'],
    ['key', '', 'key'],
    ['provider', 'p'.repeat(201), 'provider'],
    ['note', 'n'.repeat(1001), 'note'],
    ['id', 'has space', 'id'],
    ['id', '-dash-first', 'id'],
    ['id', 'i'.repeat(201), 'id'],
  ],
  rules: [
    ['kind', 'bogus', 'kind'],
    ['severity', 'info', 'severity'],
    ['name', '', 'name'],
    ['name', 'r'.repeat(201), 'name'],
    ['forSeconds', -1, 'forSeconds'],
    ['forSeconds', 3601, 'forSeconds'],
    ['forSeconds', 1.5, 'forSeconds'],
    ['clearMargin', 0.6, 'clearMargin'],
    ['clearMargin', -0.1, 'clearMargin'],
    ['withinSeconds', 60, 'withinSeconds'],
    ['selector', { key: '' }, 'selector.key'],
    ['selector', { bogus: 'x' }, 'selector.bogus'],
    ['selector', { model: 5 }, 'selector.model'],
  ],
  webhooks: [
    ['url', 'ftp://hooks.example.com/hook', 'url'],
    ['url', 'not a url', 'url'],
    ['url', 'javascript:alert(1)', 'url'],
    ['url', `https://hooks.example.com/${'u'.repeat(2000)}`, 'url'],
    ['severities', ['info'], 'severities[0]'],
    ['severities', [5], 'severities[0]'],
  ],
};

/**
 * Ceilings, rules and webhooks, POSTed and PUT over the stored one: each field of a valid body
 * given each wrong JSON type, values out of range, unknown fields, bodies that are not JSON or
 * not an object, and nesting far deeper than any real body.
 */
export function restCases(): BadRequest[] {
  const cases: BadRequest[] = [];
  for (const [resource, valid] of Object.entries(VALID) as Array<[keyof typeof VALID, object]>) {
    const collection = `/api/${resource}`;
    const stored = `${collection}/corpus-${resource.slice(0, -1)}`;
    const both = (name: string, body: string, error?: string) => {
      cases.push(post(`POST ${collection} ${name}`, collection, body, 400, error));
      cases.push({ ...post(`PUT ${stored} ${name}`, stored, body, 400, error), method: 'PUT' });
    };
    for (const [field, kind] of Object.entries(FIELDS[resource])) {
      for (const wrong of WRONG[kind]) {
        both(
          `${field} = ${shown(wrong)}`,
          JSON.stringify(replaced(valid, [field], wrong)),
          `\`${field}\``,
        );
      }
    }
    for (const [field, value, named] of OUT_OF_RANGE[resource]) {
      both(
        `${field} = ${shown(value)}`,
        JSON.stringify(replaced(valid, [field], value)),
        `\`${named}\``,
      );
    }
    both(
      'with an unknown field',
      JSON.stringify({ ...valid, colour: 'blue' }),
      'Unknown field `colour`',
    );
    for (const body of ['null', '[]', '"text"', '42', 'true', JSON.stringify([valid])]) {
      both(`body ${shown(body)}`, body, 'to be an object');
    }
    both('body rpm=5', 'rpm=5', 'body is not JSON');
    both('body {', '{', 'body is not JSON');
    both('empty body', '', 'body is not JSON');
    both('a JSON body cut short', JSON.stringify(valid).slice(0, -3), 'body is not JSON');
    both('20,000 nested arrays', '['.repeat(20_000) + ']'.repeat(20_000), 'to be an object');
    const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    both(
      'a field holding 5000 nested objects',
      JSON.stringify(valid).replace(/^\{/, `{"id":${deepObject},`),
      '`id`',
    );
  }
  cases.push({
    ...post(
      'PUT a ceiling whose id is not the one it is put under',
      '/api/ceilings/corpus-ceiling',
      JSON.stringify({ ...VALID.ceilings, id: 'another' }),
      400,
      'the id it is put under',
    ),
    method: 'PUT',
  });
  for (const id of ['has%20space', '-dash', 'i'.repeat(201)]) {
    cases.push({
      ...post(
        `PUT a rule under the id ${shown(id)}`,
        `/api/rules/${id}`,
        JSON.stringify(VALID.rules),
        400,
        'Expected `id` to be',
      ),
      method: 'PUT',
    });
  }
  cases.push(
    post(
      'a predictive rule without withinSeconds',
      '/api/rules',
      JSON.stringify({ ...VALID.rules, kind: 'predictive' }),
      400,
      'Missing `withinSeconds`',
    ),
  );
  cases.push(
    post(
      'a ceiling with no limit',
      '/api/ceilings',
      JSON.stringify({ ...VALID.ceilings, rpm: undefined }),
      400,
      'Expected at least one of',
    ),
  );
  return cases;
}

/** Query parameters of the history and alerts out of range or of the wrong type. */
export function queryCases(): BadRequest[] {
  const get = (path: string, error: string): BadRequest => ({
    name: `GET ${path}`,
    method: 'GET',
    path,
    status: 400,
    error,
  });
  return [
    ...['abc', '-1', '1.5', 'NaN', 'Infinity', '1e400'].map((value) =>
      get(`/api/history?seconds=${value}`, 'Expected `seconds` to be a whole number'),
    ),
    // Number('') and Number(' ') are 0.
    ...['', '%20'].map((value) =>
      get(`/api/history?seconds=${value}`, 'Expected `seconds` to be from 1 to 3600, got 0'),
    ),
    get('/api/history?seconds=0', 'Expected `seconds` to be from 1 to 3600, got 0'),
    get('/api/history?seconds=3601', 'Expected `seconds` to be from 1 to 3600, got 3601'),
    get('/api/history?minutes=0', 'Expected `minutes` to be from 1 to 10080'),
    get('/api/history?minutes=10081', 'Expected `minutes` to be from 1 to 10080'),
    get('/api/history?minutes=soon', 'Expected `minutes` to be a whole number'),
    get('/api/history?from=10&to=5', '`from` (10) is after `to` (5)'),
    get('/api/history?from=-10', 'Expected `from` to be a whole number'),
    get('/api/history?to=12.5', 'Expected `to` to be a whole number'),
    get('/api/history?from=99999999999999999999', 'is after `to`'),
    ...['0', '1001', 'abc', '-5', '2.5', ''].map((value) =>
      get(`/api/alerts?limit=${value}`, 'Expected `limit` to be an integer from 1 to 1000'),
    ),
    ...['-1', 'yesterday', '1.5', '1e400'].map((value) =>
      get(`/api/alerts?since=${value}`, 'Expected `since` to be an integer from 0'),
    ),
    ...['Firing', 'active', ''].map((value) =>
      get(`/api/alerts?state=${value}`, 'Expected `state` to be pending, firing or resolved'),
    ),
  ];
}
