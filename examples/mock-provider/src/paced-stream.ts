import { setTimeout as sleep } from 'node:timers/promises';

export interface PacedStreamOptions {
  frames: readonly string[];
  /** Frame i goes out at durationMs × (i + 1) / frames.length after the stream is created. */
  durationMs?: number;
  /** Called once, when the last frame is queued or the client goes away. */
  onEnd?: () => void;
}

/** An SSE body whose frames are spread over the request's latency, as a model generates them. */
export function createPacedStream({
  frames,
  durationMs = 0,
  onEnd = () => {},
}: PacedStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  const startedAt = performance.now();
  let index = 0;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Due times are absolute, so timer overshoot on one frame does not delay all later ones.
      const wait = startedAt + (durationMs * (index + 1)) / frames.length - performance.now();
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal: abort.signal });
        } catch {
          return; // Cancelled while waiting: the consumer is gone.
        }
      }
      const frame = frames[index];
      index += 1;
      if (frame !== undefined) controller.enqueue(encoder.encode(frame));
      if (index >= frames.length) {
        end();
        controller.close();
      }
    },
    cancel() {
      abort.abort();
      end();
    },
  });
}
