import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'hono';
import type { Dialect, Reply } from './dialect.js';
import { retryHeaders as defaultRetryHeaders, jsonResponse } from './json-response.js';
import type { KeyLimiter } from './key-limiter.js';
import type { Refusal } from './limit-types.js';
import type { MockProviderState } from './mock-provider-state.js';
import { createPacedStream } from './paced-stream.js';
import { parseChatRequest } from './parse-chat-request.js';

/**
 * The pipeline shared by both providers: key, body, script or limits, latency, reply. From the
 * limit check to the charge nothing awaits, so concurrent requests cannot both take the last slot.
 */
export async function handleChatRequest(
  context: Context,
  state: MockProviderState,
  dialect: Dialect,
  /** An Azure deployment: its own limits (whatever the key), and the model it serves. */
  deployment?: { name: string; limiter: KeyLimiter },
): Promise<Response> {
  const sequence = state.nextSequence();
  const headers: Record<string, string> = {
    [dialect.requestIdHeader]: dialect.requestId(sequence),
  };
  const key = dialect.readKey(context.req.raw.headers);
  if (!key) return jsonResponse(401, dialect.missingKeyBody(), headers);
  const parsed = parseChatRequest(await context.req.text(), dialect.name, deployment?.name);
  const { stats } = state;
  const limiter = deployment?.limiter ?? state.limiter(key);
  const retryHeaders = dialect.retryHeaders ?? defaultRetryHeaders;
  const account = state.account(key);
  const now = state.now();
  Object.assign(headers, dialect.accountHeaders(account));
  // A key with `headers: false` tells nothing of its limits: no rate-limit, no retry headers.
  const tells = state.sendsHeaders(key);
  if (tells) Object.assign(headers, dialect.rateLimitHeaders(limiter.snapshot(now), now));
  if (!parsed.ok) {
    stats.badRequest(key);
    return jsonResponse(400, dialect.badRequestBody(parsed.problem), headers);
  }
  const { usage, stream, includeUsage } = parsed.request;
  const model = deployment?.name ?? parsed.request.model;
  const scripted = state.script.take(key);
  if (scripted !== undefined && scripted.status !== 200) {
    if (scripted.status === 429) stats.refused(key, model);
    else stats.failed(key, model);
    const refusal: Refusal = {
      kind: scripted.limit,
      cause: 'scripted',
      requested: scripted.limit === 'requests' ? 1 : usage.totalTokens,
      retryAfterMs: scripted.retryAfterMs ?? 0,
      ...(account === undefined ? {} : { organization: account.organization }),
    };
    const body =
      scripted.status === 429
        ? dialect.rateLimitBody(refusal, model, scripted.message, scripted.code)
        : dialect.errorBody(scripted.status, scripted.message);
    if (scripted.retryAfterMs !== undefined && tells)
      Object.assign(headers, retryHeaders(scripted.retryAfterMs));
    if (scripted.latencyMs) await sleep(scripted.latencyMs);
    return jsonResponse(scripted.status, body, headers);
  }
  // A scripted 200 is admitted whatever the limits say, and charged like any other request.
  const refusal =
    scripted === undefined
      ? limiter.check({ input: usage.inputTokens, output: usage.outputTokens }, now)
      : undefined;
  if (refusal !== undefined) {
    stats.refused(key, model);
    const organization = account === undefined ? {} : { organization: account.organization };
    const body = dialect.rateLimitBody({ ...refusal, ...organization }, model);
    return jsonResponse(
      429,
      body,
      tells ? { ...headers, ...retryHeaders(refusal.retryAfterMs) } : headers,
    );
  }
  const latencyMs = scripted?.latencyMs ?? state.latencyMs();
  const releaseSlot = limiter.admit(
    { input: usage.inputTokens, output: usage.outputTokens },
    now,
    latencyMs,
  );
  const endStats = stats.admitted(key, model, {
    input: usage.inputTokens,
    output: usage.outputTokens,
  });
  const finish = () => {
    releaseSlot();
    endStats();
  };
  // Headers of an admitted request already count it, as providers report after charging.
  if (tells) Object.assign(headers, dialect.rateLimitHeaders(limiter.snapshot(now), now));
  const reply: Reply = { sequence, model, created: Math.floor(now / 1000), usage, includeUsage };
  if (stream) {
    const body = createPacedStream({
      frames: dialect.streamFrames(reply),
      durationMs: latencyMs,
      onEnd: finish,
    });
    return new Response(body, {
      status: 200,
      headers: {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      },
    });
  }
  try {
    if (latencyMs > 0) await sleep(latencyMs);
  } finally {
    finish();
  }
  return jsonResponse(200, dialect.completionBody(reply), headers);
}
