import { expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { chatBody, fakeClock, headersOf } from './test-helpers.js';

function azureRequest(
  app: ReturnType<typeof createMockProvider>['app'],
  deployment: string,
  body: unknown = chatBody({ model: undefined }),
) {
  return app.request(`/openai/deployments/${deployment}/chat/completions?api-version=2024-10-21`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-key': 'azure-key' },
    body: JSON.stringify(body),
  });
}

it('Azure deployments: each its own quota, held over 10 s windows, with Azure’s headers and 429', async () => {
  const clock = fakeClock();
  const { app, stats } = createMockProvider({
    deployments: { 'gpt-4o': { rpm: 60, windowSeconds: 10 }, mini: { rpm: 60, windowSeconds: 1 } },
    now: clock.now,
  });
  // 60 RPM over 10 s windows: 10 at once, then nothing until the next window.
  const statuses: number[] = [];
  for (let index = 0; index < 11; index++)
    statuses.push((await azureRequest(app, 'gpt-4o')).status);
  expect(statuses).toEqual([...Array(10).fill(200), 429]);
  clock.advance(4000);
  const refused = await azureRequest(app, 'gpt-4o');
  expect(refused.status).toBe(429);
  expect(headersOf(refused, 'retry-')).toEqual({ 'retry-after': '6', 'retry-after-ms': '6000' });
  expect(refused.headers.get('x-ms-retry-after-ms')).toBe('6000');
  expect(headersOf(refused, 'x-ratelimit-')).toEqual({ 'x-ratelimit-remaining-requests': '50' });
  expect(await refused.json()).toEqual({
    error: {
      code: '429',
      message: expect.stringMatching(
        /^Requests to the ChatCompletions_Create Operation under Azure OpenAI API version .* have exceeded call rate limit .* Please retry after 6 seconds\./,
      ),
    },
  });
  // Another deployment has its own quota, over 1 s windows: one a second.
  expect((await azureRequest(app, 'mini')).status).toBe(200);
  expect((await azureRequest(app, 'mini')).status).toBe(429);
  clock.advance(6000);
  const next = await azureRequest(app, 'gpt-4o');
  expect(next.status).toBe(200);
  expect(await next.json()).toMatchObject({ object: 'chat.completion', model: 'gpt-4o' });
  expect(stats().keys['azure-key']).toMatchObject({ requests: 15, admitted: 12, rateLimited: 3 });
  expect((await azureRequest(app, 'missing')).status).toBe(404);
});

it('a deployment’s window must be 1 or 10 seconds', () => {
  expect(() =>
    createMockProvider({ deployments: { d: { rpm: 60, windowSeconds: 5 as 10 } } }),
  ).toThrow('Expected `deployments.d.windowSeconds` to be 1 or 10, got 5');
});
