import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether Debian's `promtool` (package `prometheus`) is installed. */
export const promtoolVersion = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
export const hasPromtool = promtoolVersion.status === 0;
if (!hasPromtool) {
  console.warn(
    'promtool not found: `apt-get install prometheus` to run the promtool checks (.ci/run installs it)',
  );
}

/**
 * Runs `promtool ...args` in a fresh directory holding `files` (name → text), removed after;
 * resolves with what it printed and its exit status.
 */
export function promtool(
  files: Record<string, string>,
  args: string[],
): { output: string; status: number | null } {
  const directory = mkdtempSync(join(tmpdir(), 'headroom-promtool-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
    const result = spawnSync('promtool', args, { cwd: directory, encoding: 'utf8' });
    return { output: result.stdout + result.stderr, status: result.status };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
