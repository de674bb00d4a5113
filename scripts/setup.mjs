// Makes a fresh clone runnable: installs npm packages when they are missing or older than the
// lockfile, then builds every workspace (turbo skips what is already built).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function needsInstall() {
  const marker = `${root}/node_modules/.package-lock.json`;
  if (!existsSync(marker)) return true;
  return statSync(`${root}/package-lock.json`).mtimeMs > statSync(marker).mtimeMs;
}

export function setup({ quiet = false } = {}) {
  if (needsInstall()) {
    console.log('headroom: installing npm packages (first run)…');
    if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
  }
  const build = run('npx', [
    'turbo',
    'run',
    'build',
    '--output-logs=errors-only',
    ...(quiet ? ['--log-order=grouped'] : []),
  ]);
  if (build !== 0) {
    console.error('headroom: build failed');
    process.exit(build);
  }
}
