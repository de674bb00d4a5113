import type { Charge } from './budget.js';
import { type GuardClock, sleep } from './clock.js';
import type { Lane, Ticket } from './guard.js';
import { HeadroomGuardError } from './guard-error.js';
import { backoffMs, isRetryable, retryAfterMs } from './retry.js';

/** A guarded logical call: where it queues, what it costs, and how often it may be retried. */
export interface GuardedCall {
  lane: Lane;
  tenant: string;
  /** 0 (interactive), 1 (normal) or 2 (batch): its order within the tenant's turn. */
  level: number;
  /** Estimated tokens of each attempt; set from the first attempt's body when not known before. */
  tokens: number | undefined;
  /** Of `tokens`, the output's estimate. */
  output?: number | undefined;
  maxRetries: number;
  /** `anthropic` answers a refusal in Anthropic's error shape, anything else in OpenAI's. */
  provider: string;
  /** The latest attempt's charge, corrected from the usage when the call ends. */
  charge?: Charge;
  /** Set when the guard refused the call without sending it. */
  refused?: HeadroomGuardError;
}

/**
 * One logical call's HTTP attempts under the guard, the only retry layer: each attempt waits
 * for its lane's admission; a retryable answer is retried after the provider's `retry-after`
 * (a 429's holds the whole lane) or exponential backoff with full jitter, while the call has
 * retries left; a 429 also past them, while the call's queue time (`queueTimeoutMs` from its
 * start) allows, unless it says the quota is spent (OpenAI's `insufficient_quota`, which no wait
 * mends). Past the lane's retry budget a retry waits one more backoff instead of failing. A
 * refusal (full queue, timeout) comes back as a 429 that never reached the provider, so the
 * client raises its usual rate-limit error with the guard's message.
 */
export async function guardedFetch(
  attempt: () => { response: Promise<Response>; signal: AbortSignal | undefined },
  call: GuardedCall,
  clock: GuardClock,
  signal: AbortSignal | null | undefined,
  resendable = true,
): Promise<Response> {
  const { lane } = call;
  // A body that is a stream can be sent once: such a call gets no retry.
  const maxRetries = resendable ? call.maxRetries : 0;
  // How long the caller is willing to wait in all: the lane's queue time, from the call's start.
  const deadline = clock.now() + lane.options.queueTimeoutMs;
  for (let retry = 0; ; retry++) {
    let ticket: Ticket;
    try {
      ticket = await lane.acquire({
        tenant: call.tenant,
        level: call.level,
        tokens: call.tokens ?? lane.budget.outputEstimate(),
        output: call.tokens === undefined ? lane.budget.outputEstimate() : call.output,
        retry: retry > 0,
        signal,
      });
    } catch (error) {
      if (!(error instanceof HeadroomGuardError)) throw error;
      call.refused = error;
      return refusal(error, call.provider);
    }
    call.charge = ticket.charge;
    let response: Response;
    let attemptSignal: AbortSignal | undefined;
    try {
      const sent = attempt();
      attemptSignal = sent.signal;
      response = await sent.response;
    } catch (error) {
      ticket.release();
      // No answer at all (connection refused, reset, timed out): retried like a 5xx, unless the
      // caller gave up.
      if (signal?.aborted || retry >= maxRetries) throw error;
      await sleep(clock, backoffMs(retry) + budgetDelay(lane, clock.now(), retry), signal);
      continue;
    }
    const retryable = isRetryable(response.status, response.headers);
    // A stream keeps its slot until it ends: the provider counts it in flight till then.
    if (!retryable && isStream(response)) return holdUntilEnd(response, ticket, attemptSignal);
    ticket.release(response.headers);
    const now = clock.now();
    // The provider's wait, if it named one the clients would honour (under a minute).
    let asked = retryAfterMs(response.headers, now);
    if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) asked = undefined;
    const rateLimited = response.status === 429;
    if (rateLimited) lane.budget.rateLimited(now);
    // A 429's wait holds every caller of the key, whether or not this call tries again.
    if (rateLimited && asked !== undefined) lane.pause(now + asked);
    if (!retryable) return response;
    // The wait before the next attempt: a 429's retry-after is the lane's pause (every attempt
    // waits it out in line); else the provider's wait or backoff. Past the lane's retry budget
    // a retry is slowed down by one more backoff, not given up.
    const wait =
      (rateLimited && asked !== undefined ? 0 : (asked ?? backoffMs(retry))) +
      budgetDelay(lane, now, retry);
    // A rate limit is waited out while the call's queue time allows, whatever `maxRetries`
    // says: a 429 fails a call only once it has waited as long as it was willing to wait in
    // the queue. Other errors get `maxRetries`.
    const patient =
      rateLimited && resendable && now + Math.max(wait, lane.budget.pausedUntil - now) < deadline;
    if (retry >= maxRetries && !patient) return response;
    if (retry >= maxRetries) {
      // Past its retries only a rate limit is waited out: a spent quota is the call's answer.
      const text = await response.text();
      if (QUOTA_SPENT.test(text))
        return new Response(text, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
    }
    // Nobody reads this answer: free its connection.
    response.body?.cancel().catch(() => {});
    if (wait > 0) await sleep(clock, wait, signal);
  }
}

function isStream(response: Response): boolean {
  return (
    response.body !== null &&
    (response.headers.get('content-type') ?? '').includes('text/event-stream')
  );
}

/**
 * The same answer, whose body releases the ticket when it ends, fails or is cancelled: a streamed
 * answer holds its concurrency slot as long as the provider holds the request.
 */
function holdUntilEnd(
  response: Response,
  ticket: Ticket,
  signal: AbortSignal | undefined,
): Response {
  const reader = response.body!.getReader();
  // Taken off the signal once used: a signal that outlives the request keeps no listener of it.
  const release = () => {
    signal?.removeEventListener('abort', release);
    ticket.release(response.headers);
  };
  // A reader that stops early (a `break`) aborts the request rather than cancel the body.
  signal?.addEventListener('abort', release, { once: true });
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Past the lane's retry budget a retry waits one more backoff: slowed down, not given up. */
function budgetDelay(lane: Lane, now: number, retry: number): number {
  return lane.budget.allowsRetry(now) ? 0 : backoffMs(retry);
}

/** A 429 that no wait mends: the account's quota or credit is spent, not its rate. */
const QUOTA_SPENT = /"(?:code|type)"\s*:\s*"(?:insufficient_quota|billing_hard_limit_reached)"/;

/** Longer waits than this are not taken as asked, as the provider SDKs do: backoff instead. */
const MAX_RETRY_AFTER_MS = 60_000;

/** The client's usual 429, in its provider's error shape, saying it never left this process. */
function refusal(error: HeadroomGuardError, provider: string): Response {
  const body =
    provider === 'anthropic'
      ? { type: 'error', error: { type: 'rate_limit_error', message: error.message } }
      : {
          error: {
            message: error.message,
            type: 'headroom_guard',
            param: null,
            code: error.reason,
          },
        };
  return new Response(JSON.stringify(body), {
    status: 429,
    headers: {
      'content-type': 'application/json',
      'x-should-retry': 'false',
      'x-headroom-guard': error.reason,
    },
  });
}
