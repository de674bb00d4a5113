import type { Tally } from './fleet-client.js';

/** The one JSON line a worker prints on stdout when it ends. */
export interface WorkerSummary extends Tally {
  instanceId: string;
  durationSeconds: number;
}

/** The worker's summary: the last line of its stdout that is one. */
export function parseWorkerSummary(stdout: string): WorkerSummary | undefined {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const value = JSON.parse(line) as Partial<WorkerSummary>;
      if (typeof value?.instanceId === 'string' && typeof value.calls === 'number') {
        return value as WorkerSummary;
      }
    } catch {
      // Not a summary line.
    }
  }
  return undefined;
}
