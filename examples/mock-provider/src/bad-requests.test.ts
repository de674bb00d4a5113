import { describe, expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { anthropicRequest, chatBody, openaiRequest } from './test-helpers.js';

describe('bad requests', () => {
  it('answers OpenAI-shaped 400s and keeps serving', async () => {
    const { app } = createMockProvider();
    const cases: Array<[unknown, unknown]> = [
      [
        '{"model":',
        {
          message: expect.stringContaining('We could not parse the JSON body'),
          param: null,
          code: null,
        },
      ],
      [
        { messages: [] },
        { message: 'you must provide a model parameter', param: null, code: null },
      ],
      [
        { model: 'gpt-4o-mini' },
        {
          message: "Missing required parameter: 'messages'.",
          param: 'messages',
          code: 'missing_required_parameter',
        },
      ],
      [chatBody({ messages: [] }), { param: 'messages', code: 'invalid_value' }],
      [chatBody({ messages: ['hi'] }), { param: 'messages[0]' }],
      [
        chatBody({ max_tokens: 0 }),
        {
          message: "Invalid 'max_tokens': expected an integer of at least 1.",
          param: 'max_tokens',
        },
      ],
      [chatBody({ stream: 'yes' }), { param: 'stream' }],
    ];
    for (const [body, error] of cases) {
      const response = await openaiRequest(app, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { type: 'invalid_request_error', ...(error as object) },
      });
    }
    expect((await openaiRequest(app, chatBody())).status).toBe(200);
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok' });
  });

  it('answers Anthropic-shaped 400s', async () => {
    const { app, stats } = createMockProvider();
    const missing = await anthropicRequest(app, { model: 'claude-test' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'messages: Field required' },
    });
    const notJson = await anthropicRequest(app, 'nope');
    expect(((await notJson.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
    expect(stats().totals).toMatchObject({ requests: 2, badRequests: 2 });
    expect((await anthropicRequest(app, chatBody())).status).toBe(200);
  });

  it('answers 401 without a key', async () => {
    const { app } = createMockProvider();
    const openai = await openaiRequest(app, chatBody(), null);
    expect(openai.status).toBe(401);
    expect(((await openai.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
    const anthropic = await anthropicRequest(app, chatBody(), null);
    expect(await anthropic.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
  });

  it('answers 404 for unknown routes', async () => {
    const { app } = createMockProvider();
    const response = await app.request('/v1/embeddings', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'Invalid URL (POST /v1/embeddings)',
    );
  });
});
