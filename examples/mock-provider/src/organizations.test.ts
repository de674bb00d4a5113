import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from './start-mock-provider.js';
import { fakeClock } from './test-helpers.js';

const messages = [{ role: 'user' as const, content: 'Hello there' }]; // 22 tokens a request

describe('organizations: keys sharing one budget, with the real openai client', () => {
  const clock = fakeClock();
  let mock: MockProvider;
  const client = (apiKey: string) =>
    new OpenAI({ apiKey, baseURL: `${mock.url}/v1`, maxRetries: 0 });
  const send = (apiKey: string) =>
    client(apiKey).chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();

  beforeEach(async () => {
    clock.set(clock.start);
    mock = await startMockProvider({
      organizations: { 'org-demo': { rpm: 3, tpm: 1000 } },
      keys: {
        'sk-a': { organization: 'org-demo' },
        'sk-b': { organization: 'org-demo', project: 'proj-b' },
        'sk-alone': { rpm: 3 },
      },
      now: clock.now,
    });
  });

  afterEach(async () => {
    await mock.close();
  });

  it('charges the sum over its keys and reports that budget on each', async () => {
    const remaining: Array<[string | null, string | null]> = [];
    for (const key of ['sk-a', 'sk-b', 'sk-a']) {
      const { response } = await send(key);
      remaining.push([
        response.headers.get('x-ratelimit-remaining-requests'),
        response.headers.get('x-ratelimit-remaining-tokens'),
      ]);
      clock.advance(1000); // ceil(3 / 60) = 1 request per clock second
    }
    expect(remaining).toEqual([
      ['2', '978'],
      ['1', '956'],
      ['0', '934'],
    ]);
    const error = await send('sk-b').catch((caught) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.message).toContain(
      'Rate limit reached for gpt-4o-mini in organization org-demo on requests per min (RPM): Limit 3, Used 3, Requested 1.',
    );
    expect(error.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(error.headers.get('openai-organization')).toBe('org-demo');
    expect(error.headers.get('openai-project')).toBe('proj-b');
    // A key outside the organization keeps its own budget and names no organization.
    const alone = await send('sk-alone');
    expect(alone.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(alone.response.headers.get('openai-organization')).toBe(null);
    expect(mock.stats().keys['sk-b']).toMatchObject({ requests: 2, admitted: 1, rateLimited: 1 });
  });

  it('names the organization, and the project only where one is set', async () => {
    const a = await send('sk-a');
    expect(a.response.headers.get('openai-organization')).toBe('org-demo');
    expect(a.response.headers.get('openai-project')).toBe(null);
    clock.advance(1000);
    const b = await send('sk-b');
    expect(b.response.headers.get('openai-organization')).toBe('org-demo');
    expect(b.response.headers.get('openai-project')).toBe('proj-b');
  });

  it('empties the shared window on reset', async () => {
    await send('sk-a');
    mock.reset();
    const { response } = await send('sk-b');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
  });
});
