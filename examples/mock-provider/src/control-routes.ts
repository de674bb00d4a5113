import { Hono } from 'hono';
import type { MockProviderState } from './mock-provider-state.js';

/** Routes for tests and tooling: ground-truth stats, scripting and reset. Not part of any provider API. */
export function createControlRoutes(state: MockProviderState): Hono {
  const routes = new Hono();

  routes.get('/health', (context) => context.json({ status: 'ok' }));

  routes.get('/stats', (context) => context.json(state.stats.snapshot()));

  // Body: an array of outcomes (global queue) or { outcomes, key? }.
  routes.post('/_mock/script', async (context) => {
    let body: unknown;
    try {
      body = JSON.parse(await context.req.text());
    } catch {
      return context.json({ error: { message: 'Expected a JSON body' } }, 400);
    }
    const { outcomes, key } = Array.isArray(body)
      ? { outcomes: body, key: undefined }
      : ((body ?? {}) as { outcomes?: unknown; key?: unknown });
    if (key !== undefined && (typeof key !== 'string' || key === '')) {
      return context.json({ error: { message: 'Expected `key` to be a non-empty string' } }, 400);
    }
    try {
      const queued = state.script.push(outcomes as unknown[], key);
      return context.json({ queued });
    } catch (error) {
      return context.json({ error: { message: (error as Error).message } }, 400);
    }
  });

  routes.post('/_mock/reset', (context) => {
    state.reset();
    return context.json({ reset: true });
  });

  return routes;
}
