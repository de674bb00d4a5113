import { diag } from '@opentelemetry/api';

const reported = new Set<string>();

/**
 * A telemetry fault must never reach the host app: it is logged once per place and swallowed.
 * Logged through `diag` when the app set a diag logger, else one `console.warn` line.
 */
export function reportFault(where: string, error: unknown): void {
  if (reported.has(where)) return;
  reported.add(where);
  const message = `[headroom] ${where}: ${error instanceof Error ? error.message : String(error)} (further faults here are not logged)`;
  try {
    diag.warn(message);
    if (!hasDiagLogger()) console.warn(message);
  } catch {
    // Logging itself failed: nothing more can be done without risking the host.
  }
}

function hasDiagLogger(): boolean {
  // The API keeps the registered logger on a global; the no-op logger is what answers otherwise.
  const registry = (globalThis as any)[Symbol.for('opentelemetry.js.api.1')];
  return Boolean(registry?.diag);
}

/** Runs `fn`; a throw becomes a logged-once fault and `fallback` is returned. */
export function guarded<T>(where: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    reportFault(where, error);
    return fallback;
  }
}

/** For tests: forget which faults were already reported. */
export function resetFaults(): void {
  reported.clear();
}
