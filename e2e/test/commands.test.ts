import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

// `npm test` and `npm start` set a fresh clone up first (scripts/setup.mjs); after that the
// README's commands must run from the repository, bins linked although they were built after
// `npm ci`.
describe('the commands of a set-up clone', () => {
  it.each([
    ['headroom', /^usage: headroom start /],
    ['headroom-mock-provider', /--host HOST/],
  ])('npx %s --help', async (command, expected) => {
    const { stdout } = await run('npx', ['--no-install', command, '--help'], {
      cwd: root,
      timeout: 30_000,
    });
    expect(stdout).toMatch(expected);
  });
});
