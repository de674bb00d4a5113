// Makes a fresh clone runnable: installs npm packages when they are missing or older than the
// lockfile, then builds every workspace (turbo skips what is already built).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
  linkBins();
}

/**
 * `npm ci` links a workspace's bins only if their files exist, and on a fresh clone they are
 * built after it: link the missing ones now, so `npx headroom start` works once this ran.
 */
function linkBins() {
  const missing = [];
  for (const directory of workspaceDirectories()) {
    const manifest = JSON.parse(readFileSync(`${directory}/package.json`, 'utf8'));
    const names =
      typeof manifest.bin === 'string'
        ? [manifest.name.split('/').pop()]
        : Object.keys(manifest.bin ?? {});
    if (names.some((name) => !existsSync(`${root}/node_modules/.bin/${name}`)))
      missing.push(manifest.name);
  }
  if (missing.length === 0) return;
  if (run('npm', ['rebuild', ...missing, '--ignore-scripts', '--no-audit', '--no-fund']) !== 0) {
    console.error(`headroom: could not link the commands of ${missing.join(', ')}`);
    process.exit(1);
  }
}

/** The folders of the root's workspaces (`dir`, or `dir/*`). */
export function workspaceDirectories() {
  const patterns = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).workspaces;
  return patterns.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(`${root}/${pattern.slice(0, -2)}`, { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${root}/${pattern.slice(0, -2)}/${entry.name}`)
      : [`${root}/${pattern}`],
  );
}
