import { type Headroom, init } from '@headroom/sdk';

/** Headroom for an example: exports to `HEADROOM_COLLECTOR_URL` (default the local collector). */
export function headroomFor(serviceName: string): Headroom {
  return init({ serviceName, exportIntervalMillis: 500 });
}

/** How long to run: `DURATION_SECONDS`, else `fallback`. */
export function durationSeconds(fallback: number): number {
  const text = process.env.DURATION_SECONDS;
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(
      `Expected DURATION_SECONDS to be a positive number, got ${JSON.stringify(text)}`,
    );
  return value;
}

/** Runs `cleanup` once on SIGINT, SIGTERM or the end, then exits. */
export function onStop(cleanup: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= cleanup().finally(() => process.exit(0));
    return stopping;
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return stop;
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** One line, prefixed with the example's name, so the tour's output stays readable. */
export function say(example: string, line: string): void {
  process.stdout.write(`${example}: ${line}\n`);
}
