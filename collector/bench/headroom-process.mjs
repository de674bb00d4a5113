// The real `headroom` process for the benchmarks: started on a free port with its data in a
// fresh directory; `stop()` ends it and removes the directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export async function startHeadroom() {
  const data = mkdtempSync(join(tmpdir(), 'headroom-bench-'));
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data', data], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HEADROOM_TOKEN: '' },
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(data, { recursive: true, force: true });
  };
  try {
    const url = await new Promise((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /listening on (\S+) /.exec(output);
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`collector exited: ${output}`)));
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
