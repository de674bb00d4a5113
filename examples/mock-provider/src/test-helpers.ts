import type { Hono } from 'hono';

/** A clock that only moves when told to; starts on a whole second so quanta are easy to reason about. */
export function fakeClock(start = 1_700_000_000_000) {
  let current = start;
  return {
    start,
    now: () => current,
    advance(milliseconds: number) {
      current += milliseconds;
    },
    set(milliseconds: number) {
      current = milliseconds;
    },
  };
}

/** "Hello there" as one user message: 7 input tokens, 15 output tokens (22 in all). */
export function chatBody(extra: Record<string, unknown> = {}, content = 'Hello there') {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra };
}

export function openaiRequest(app: Hono, body: unknown, key: string | null = 'sk-a') {
  return app.request('/v1/chat/completions', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function anthropicRequest(app: Hono, body: unknown, key: string | null = 'sk-a') {
  return app.request('/v1/messages', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      ...(key === null ? {} : { 'x-api-key': key }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Headers as a plain object, for exact comparisons. */
export function headersOf(response: Response, prefix: string): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith(prefix)));
}
