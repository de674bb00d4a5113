import { type ChildProcess, spawn } from 'node:child_process';
import { parseWorkerSummary, type WorkerSummary } from './worker-summary.js';

export interface WorkerResult {
  instanceId: string;
  pid: number | undefined;
  /** The exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** What the worker reported; absent when it died before it could. */
  summary: WorkerSummary | undefined;
}

export interface SpawnedWorker {
  child: ChildProcess;
  /** Settles once the worker is ready to start (or has ended without being so). */
  ready: Promise<void>;
  ended: Promise<WorkerResult>;
}

/**
 * Starts one worker process. An IPC channel ties it to this process: when this one dies, however
 * it dies, the worker sees `disconnect` and exits. Over it the worker says it is ready, and
 * waits for `{ start: true }`. Its stdout is read for its summary; its stderr
 * (Headroom's one-line faults) goes to ours.
 */
export function spawnWorker(
  workerPath: string,
  instanceId: string,
  env: NodeJS.ProcessEnv,
): SpawnedWorker {
  const child = spawn(process.execPath, [workerPath], {
    env: { ...process.env, ...env, HEADROOM_INSTANCE_ID: instanceId },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let stdout = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const ended = new Promise<WorkerResult>((resolve) => {
    const end = (exitCode: number | null, signal: NodeJS.Signals | null) =>
      resolve({
        instanceId,
        pid: child.pid,
        exitCode,
        signal,
        summary: parseWorkerSummary(stdout),
      });
    // `close` comes after the exit and after stdout has been read to its end.
    child.once('close', end);
    child.once('error', () => end(child.exitCode ?? 1, null));
  });
  const ready = new Promise<void>((resolve) => {
    child.on('message', (message: { ready?: boolean }) => {
      if (message?.ready === true) resolve();
    });
    void ended.then(() => resolve());
  });
  return { child, ready, ended };
}
