import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as semconv from '@headroom/contract/semconv';
import { describe, expect, it } from 'vitest';
import * as sdk from '../src/index.js';

const run = promisify(execFile);
const sdkRoot = fileURLToPath(new URL('..', import.meta.url));
const hooks = new URL('./fixtures/record-loads.mjs', import.meta.url).href;

/**
 * The modules a fresh Node process loads to import `specifier` (from the SDK's folder): ESM
 * imports through a resolve hook, CommonJS ones from the require cache.
 */
async function modulesLoadedBy(specifier: string): Promise<string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'headroom-loads-'));
  const log = join(folder, 'loads.txt');
  try {
    const script = [
      `import { createRequire, register } from 'node:module';`,
      `import { appendFileSync } from 'node:fs';`,
      `register(${JSON.stringify(hooks)});`,
      `await import(${JSON.stringify(specifier)});`,
      `const cached = Object.keys(createRequire(import.meta.url).cache);`,
      `appendFileSync(process.env.HEADROOM_LOAD_LOG, cached.join('\\n') + '\\n');`,
    ].join('\n');
    await run(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: sdkRoot,
      env: { ...process.env, HEADROOM_LOAD_LOG: log },
    });
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const isZod = (url: string) => /[/\\]node_modules[/\\]zod[/\\]/.test(url);

describe('the contract in the SDK', () => {
  it('exports every name of @headroom/contract/semconv, with the same value', () => {
    expect(Object.keys(semconv).length).toBeGreaterThan(40);
    for (const [name, value] of Object.entries(semconv)) {
      expect(sdk, name).toHaveProperty(name, value);
    }
  });

  it('loads no zod at run time: it imports the names only, not the API schemas', async () => {
    const sdkModules = await modulesLoadedBy('@headroom/sdk');
    expect(sdkModules.some((url) => url.includes('/contract/dist/semconv.js'))).toBe(true);
    expect(sdkModules.filter(isZod)).toEqual([]);
    // The same check sees zod where it is loaded: the contract's root module has the schemas.
    const contractModules = await modulesLoadedBy('@headroom/contract');
    expect(contractModules.filter(isZod).length).toBeGreaterThan(0);
  }, 30_000);
});
