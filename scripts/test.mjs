// `npm test`: sets up a fresh clone, runs every workspace's vitest suite one after the other
// (2-core machines: suites that start servers are steadier alone), then prints one line,
// `N passed, N failed`, summed over all suites.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, setup, workspaceDirectories } from './setup.mjs';

setup();

const reports = mkdtempSync(join(tmpdir(), 'headroom-test-'));
let passed = 0;
let failed = 0;
const broken = [];

// Vitest strips types without checking them, so the type check runs first, as one more check.
console.log('\n── typecheck ──');
if (run('npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only']) === 0) {
  passed += 1;
} else {
  broken.push('typecheck');
  failed += 1;
}

for (const directory of workspaceDirectories()) {
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  if (!manifest.scripts?.test) continue;
  console.log(`\n── ${manifest.name} ──`);
  const report = join(reports, `${manifest.name.replace(/[@/]/g, '_')}.json`);
  const status = run(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    {
      cwd: directory,
    },
  );
  if (!existsSync(report)) {
    broken.push(manifest.name);
    failed += 1;
    continue;
  }
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  // A suite that failed to load (syntax error, failed import) has failed tests the count misses.
  if (status !== 0 && result.numFailedTests === 0) {
    broken.push(manifest.name);
    failed += Math.max(1, result.numFailedTestSuites);
  }
}
if (broken.length > 0) console.log(`\nsuites that did not run cleanly: ${broken.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
