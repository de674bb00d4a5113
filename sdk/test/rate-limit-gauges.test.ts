import { createHash } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from './mock.js';

const KEY = 'sk-limited';
const OTHER_KEY = 'sk-small';
const fingerprint = (key: string) =>
  `key-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
const messages = [{ role: 'user' as const, content: 'Hello there' }];

const open = resources();
afterEach(() => open.close());

type Telemetry = ReturnType<typeof open.telemetry>;

/** Every gauge point of one instrument, as [attributes, value], in export order. */
function gauge(telemetry: Telemetry, name: string) {
  return telemetry.points(name).map((point) => [point.attributes, point.value]);
}

function number(headers: Headers, name: string): number {
  const value = headers.get(name);
  if (value === null) throw new Error(`the mock sent no ${name}`);
  return Number(value);
}

describe('rate-limit gauges equal the headers the provider sent', () => {
  it('openai: x-ratelimit-* of the last response, per dimension and per key', async () => {
    const mock = await open.mock({
      keys: { [KEY]: { rpm: 600, tpm: 100_000 }, [OTHER_KEY]: { rpm: 60, tpm: 5_000 } },
    });
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    const other = telemetry.headroom.instrument(
      new OpenAI({ apiKey: OTHER_KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );

    let last: Headers | undefined;
    for (let index = 0; index < 3; index++) {
      const { response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages })
        .withResponse();
      last = response.headers;
    }
    const { response: otherResponse } = await other.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .withResponse();
    await telemetry.collect();

    const attributes = (key: string, dimension: string) => ({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'headroom.key': fingerprint(key),
      'headroom.ratelimit.dimension': dimension,
    });
    expect(gauge(telemetry, 'headroom.ratelimit.limit')).toEqual([
      [attributes(KEY, 'requests'), number(last!, 'x-ratelimit-limit-requests')],
      [attributes(KEY, 'tokens'), number(last!, 'x-ratelimit-limit-tokens')],
      [
        attributes(OTHER_KEY, 'requests'),
        number(otherResponse.headers, 'x-ratelimit-limit-requests'),
      ],
      [attributes(OTHER_KEY, 'tokens'), number(otherResponse.headers, 'x-ratelimit-limit-tokens')],
    ]);
    expect(gauge(telemetry, 'headroom.ratelimit.remaining')).toEqual([
      [attributes(KEY, 'requests'), number(last!, 'x-ratelimit-remaining-requests')],
      [attributes(KEY, 'tokens'), number(last!, 'x-ratelimit-remaining-tokens')],
      [
        attributes(OTHER_KEY, 'requests'),
        number(otherResponse.headers, 'x-ratelimit-remaining-requests'),
      ],
      [
        attributes(OTHER_KEY, 'tokens'),
        number(otherResponse.headers, 'x-ratelimit-remaining-tokens'),
      ],
    ]);
    // And those headers said what the limits imply: 3 requests of 22 tokens, 1 of 22.
    expect(telemetry.last('headroom.ratelimit.remaining', attributes(KEY, 'requests'))).toBe(597);
    expect(telemetry.last('headroom.ratelimit.remaining', attributes(KEY, 'tokens'))).toBe(
      100_000 - 3 * 22,
    );
    expect(telemetry.last('headroom.ratelimit.limit', attributes(OTHER_KEY, 'tokens'))).toBe(5_000);
    expect(telemetry.last('headroom.ratelimit.remaining', attributes(OTHER_KEY, 'tokens'))).toBe(
      5_000 - 22,
    );
  });

  it('openai: openai-organization and openai-project label the gauges of keys on one budget', async () => {
    const mock = await open.mock({
      organizations: { 'org-demo': { rpm: 600, tpm: 100_000 } },
      keys: {
        [KEY]: { organization: 'org-demo' },
        [OTHER_KEY]: { organization: 'org-demo', project: 'proj-b' },
      },
    });
    const telemetry = open.telemetry();
    const client = (apiKey: string) =>
      telemetry.headroom.instrument(
        new OpenAI({ apiKey, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
      );
    await client(KEY).chat.completions.create({ model: 'gpt-4o-mini', messages });
    await client(OTHER_KEY).chat.completions.create({ model: 'gpt-4o-mini', messages });
    await telemetry.collect();

    const attributes = (key: string, dimension: string, project?: string) => ({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'headroom.key': fingerprint(key),
      'headroom.ratelimit.dimension': dimension,
      'headroom.ratelimit.organization': 'org-demo',
      ...(project === undefined ? {} : { 'headroom.ratelimit.project': project }),
    });
    // One budget: the second key's remaining already counts the first key's request.
    expect(gauge(telemetry, 'headroom.ratelimit.remaining')).toEqual([
      [attributes(KEY, 'requests'), 599],
      [attributes(KEY, 'tokens'), 100_000 - 22],
      [attributes(OTHER_KEY, 'requests', 'proj-b'), 598],
      [attributes(OTHER_KEY, 'tokens', 'proj-b'), 100_000 - 2 * 22],
    ]);
    expect(gauge(telemetry, 'headroom.ratelimit.limit')).toEqual([
      [attributes(KEY, 'requests'), 600],
      [attributes(KEY, 'tokens'), 100_000],
      [attributes(OTHER_KEY, 'requests', 'proj-b'), 600],
      [attributes(OTHER_KEY, 'tokens', 'proj-b'), 100_000],
    ]);
    // Only the ratelimit gauges name the account; the model-call points do not.
    const requests = telemetry.points('headroom.requests').map((point) => point.attributes);
    expect(requests.some((point) => 'headroom.ratelimit.organization' in point)).toBe(false);
  });

  it('openai: a 429 is a response too, and its headers are the latest', async () => {
    const mock = await open.mock({ keys: { [KEY]: { rpm: 600, tpm: 100_000 } } });
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await telemetry.collect();
    telemetry.reset();

    mock.script([429], { key: KEY });
    const error = (await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    await telemetry.collect();

    const match = { 'headroom.ratelimit.dimension': 'requests' };
    expect(telemetry.last('headroom.ratelimit.remaining', match)).toBe(
      number(error.headers as Headers, 'x-ratelimit-remaining-requests'),
    );
    expect(telemetry.last('headroom.ratelimit.limit', match)).toBe(600);
  });

  it('anthropic: anthropic-ratelimit-* for requests, tokens, input_tokens and output_tokens', async () => {
    const mock = await open.mock({ keys: { [KEY]: { rpm: 300, tpm: 40_000 } } });
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new Anthropic({ apiKey: KEY, baseURL: mock.url, maxRetries: 0 }),
    );

    let last: Headers | undefined;
    for (let index = 0; index < 2; index++) {
      const { response } = await client.messages
        .create({ model: 'claude-x', max_tokens: 100, messages })
        .withResponse();
      last = response.headers;
    }
    await telemetry.collect();

    const dimensions = ['requests', 'tokens', 'input_tokens', 'output_tokens'] as const;
    const attributes = (dimension: string) => ({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-x',
      'headroom.key': fingerprint(KEY),
      'headroom.ratelimit.dimension': dimension,
    });
    const header = (dimension: string, part: string) =>
      number(last!, `anthropic-ratelimit-${dimension.replace('_', '-')}-${part}`);
    expect(gauge(telemetry, 'headroom.ratelimit.limit')).toEqual(
      dimensions.map((dimension) => [attributes(dimension), header(dimension, 'limit')]),
    );
    expect(gauge(telemetry, 'headroom.ratelimit.remaining')).toEqual(
      dimensions.map((dimension) => [attributes(dimension), header(dimension, 'remaining')]),
    );
    expect(gauge(telemetry, 'headroom.ratelimit.remaining').map(([, value]) => value)).toEqual([
      298,
      40_000 - 2 * 22,
      40_000 - 2 * 22,
      40_000 - 2 * 22,
    ]);
  });

  it('a key without limits reports no rate-limit gauges', async () => {
    const mock = await open.mock();
    const telemetry = open.telemetry();
    const client = telemetry.headroom.instrument(
      new OpenAI({ apiKey: KEY, baseURL: `${mock.url}/v1`, maxRetries: 0 }),
    );
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await telemetry.collect();
    expect(telemetry.points('headroom.ratelimit.limit')).toEqual([]);
    expect(telemetry.points('headroom.ratelimit.remaining')).toEqual([]);
  });
});
