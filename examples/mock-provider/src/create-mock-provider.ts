import { Hono } from 'hono';
import { anthropicDialect } from './anthropic-dialect.js';
import { azureDialect } from './azure-dialect.js';
import { createControlRoutes } from './control-routes.js';
import { handleChatRequest } from './handle-chat-request.js';
import { MockProviderState } from './mock-provider-state.js';
import { openaiDialect } from './openai-dialect.js';
import type { MockProviderOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import type { ScriptedOutcomeInput } from './script-queue.js';
import type { MockProviderStats } from './stats-recorder.js';

export interface ScriptOptions {
  /** Queue for this key only; without it the outcomes go to the global queue. */
  key?: string;
}

export interface MockProviderControls {
  stats(): MockProviderStats;
  /** Appends outcomes, consumed one per chat request (the key's queue first, then the global one). */
  script(outcomes: readonly ScriptedOutcomeInput[], options?: ScriptOptions): void;
  /** Clears stats, rate-limit windows and scripts, and restarts ids and jitter from the seed. */
  reset(): void;
}

export interface MockProviderHandle extends MockProviderControls {
  app: Hono;
}

/** The app plus the controls that tests would otherwise reach through `/_mock/*`. */
export function createMockProvider(options: MockProviderOptions = {}): MockProviderHandle {
  const state = new MockProviderState(resolveOptions(options));
  const app = new Hono();
  app.post('/v1/chat/completions', (context) => handleChatRequest(context, state, openaiDialect));
  app.post('/v1/messages', (context) => handleChatRequest(context, state, anthropicDialect));
  app.post('/openai/deployments/:deployment/chat/completions', (context) => {
    const name = context.req.param('deployment');
    const limiter = state.deploymentLimiter(name);
    if (limiter === undefined)
      return context.json(
        {
          error: {
            code: 'DeploymentNotFound',
            message:
              'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
          },
        },
        404,
      );
    return handleChatRequest(context, state, azureDialect, { name, limiter });
  });
  app.route('/', createControlRoutes(state));
  app.notFound((context) =>
    context.json(
      {
        error: {
          message: `Invalid URL (${context.req.method} ${context.req.path})`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
      404,
    ),
  );
  return {
    app,
    stats: () => state.stats.snapshot(),
    script: (outcomes, { key }: ScriptOptions = {}) => {
      state.script.push(outcomes, key);
    },
    reset: () => state.reset(),
  };
}

export function createMockProviderApp(options: MockProviderOptions = {}): Hono {
  return createMockProvider(options).app;
}
