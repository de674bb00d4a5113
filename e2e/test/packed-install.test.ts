import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Snapshot } from '@headroom/collector';
import type { MockProviderStats } from '@headroom/mock-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { binOf, getJson, resources, startCommand, startProcess } from './processes.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));

const open = resources();
afterEach(() => open.close());

/** What an app needs to install: the SDK, the collector, and the two packages they depend on. */
const PACKAGES = [
  '@headroom/contract',
  '@headroom/sdk',
  '@headroom/dashboard',
  '@headroom/collector',
];

// `npm test -w …` hands its settings down as `npm_config_*` (the workspace among them): the empty
// project's npm and npx must see none of them, as on a user's machine.
const npmFree: NodeJS.ProcessEnv = Object.fromEntries(
  Object.keys(process.env)
    .filter((name) => name.toLowerCase().startsWith('npm_'))
    .map((name) => [name, undefined]),
);

interface Packed {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

interface Manifest {
  exports?: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

/** Every file a manifest points at: export targets and bins, without the leading `./`. */
function entryFiles(manifest: Manifest): string[] {
  const targets = Object.values(manifest.exports ?? {}).flatMap((target) =>
    typeof target === 'string' ? [target] : Object.values(target),
  );
  return [...targets, ...Object.values(manifest.bin ?? {})].map((path) =>
    path.replace(/^\.\//, ''),
  );
}

function manifestOf(name: string): Manifest {
  return require(`${name}/package.json`) as Manifest;
}

// The five calls the app makes; the provider refuses the first attempt once, so 6 requests.
const APP = `import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: 'sk-packed', baseURL: \`\${process.env.MOCK_URL}/v1\` });
for (let i = 0; i < 5; i += 1) {
  await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: \`question \${i}\` }],
  });
}
console.log('answered 5 calls');
`;

// About 20 s: the install takes 10 s of it. A better-sqlite3 newer than the lockfile's is
// compiled, a minute or two more, hence the timeout.
describe('the packages installed from `npm pack` into an empty project', () => {
  it('run `node --import @headroom/sdk/register app.js` and `npx headroom start`', async () => {
    const tarballs = open.directory('headroom-pack-');
    const { stdout: packOutput } = await run(
      'npm',
      [
        'pack',
        ...PACKAGES.flatMap((name) => ['-w', name]),
        '--pack-destination',
        tarballs,
        '--json',
      ],
      { cwd: root, env: { ...process.env, ...npmFree }, timeout: 60_000 },
    );
    const packed = JSON.parse(packOutput) as Packed[];
    expect(packed.map((entry) => entry.name).sort()).toEqual([...PACKAGES].sort());
    for (const entry of packed) {
      const files = entry.files.map((file) => file.path);
      const manifest = manifestOf(entry.name);
      // Every file the manifest points at (a pack before the build fails here), and no sources.
      expect({
        name: entry.name,
        missing: entryFiles(manifest).filter((file) => !files.includes(file)),
      }).toEqual({ name: entry.name, missing: [] });
      expect({
        name: entry.name,
        sources: files.filter((file) => /^(src|test)\/|\.test\./.test(file)),
      }).toEqual({ name: entry.name, sources: [] });
      // A runtime dependency on a package of this repository is one of the packed ones.
      const internal = Object.keys(manifest.dependencies ?? {}).filter((dependency) =>
        dependency.startsWith('@headroom/'),
      );
      expect(internal.filter((dependency) => !PACKAGES.includes(dependency))).toEqual([]);
    }

    const project = open.directory('headroom-packed-app-');
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'packed-app', private: true, type: 'module' }, null, 2)}\n`,
    );
    writeFileSync(join(project, 'app.js'), APP);
    // better-sqlite3's install script compiles SQLite when it cannot fetch a prebuilt binary, as
    // here (a minute on two cores, and none of Headroom's code): the scripts are skipped and the
    // binary this repository's install built is reused when the versions match.
    await run(
      'npm',
      [
        'install',
        ...packed.map((entry) => join(tarballs, entry.filename)),
        `openai@${versionOf(join(root, 'node_modules', 'openai'))}`,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
      ],
      { cwd: project, env: { ...process.env, ...npmFree }, timeout: 90_000 },
    );
    await linkSqliteBinary(project);

    const installed = join(project, 'node_modules');
    expect(readdirSync(join(installed, '@headroom')).sort()).toEqual([
      'collector',
      'contract',
      'dashboard',
      'sdk',
    ]);
    for (const name of PACKAGES)
      expect({ name, link: lstatSync(join(installed, name)).isSymbolicLink() }).toEqual({
        name,
        link: false,
      });
    // The dashboard ships built assets: its React and uPlot are bundled, never installed.
    expect(
      ['react', 'react-dom', 'uplot'].filter((name) => existsSync(join(installed, name))),
    ).toEqual([]);

    const mock = await startProcess(
      'mock provider',
      binOf('@headroom/mock-provider', 'headroom-mock-provider'),
      ['--port', '0'],
    );
    open.add(mock.stop);
    const collector = await startCommand(
      'collector',
      'npx',
      ['--no-install', 'headroom', 'start', '--port', '0', '--data', join(project, '.headroom')],
      { cwd: project, env: npmFree, group: true, timeoutMs: 30_000 },
    );
    open.add(collector.stop);

    const scripted = await fetch(`${mock.url}/_mock/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcomes: [429], key: 'sk-packed' }),
    });
    expect(await scripted.json()).toEqual({ queued: 1 });

    // The app exports what is left when it ends, and the collector ingests a request before it
    // answers it: once the app has exited, the collector holds every call.
    const app = await run(process.execPath, ['--import', '@headroom/sdk/register', 'app.js'], {
      cwd: project,
      env: {
        ...process.env,
        ...npmFree,
        MOCK_URL: mock.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_SERVICE_NAME: 'packed-app',
        HEADROOM_KEY_NAMES: '*=packed',
        HEADROOM_COLLECTOR_URL: undefined,
        HEADROOM_TOKEN: undefined,
      },
      timeout: 30_000,
    });
    expect({ stdout: app.stdout, stderr: app.stderr }).toEqual({
      stdout: 'answered 5 calls\n',
      stderr: '',
    });

    const stats = await getJson<MockProviderStats>(`${mock.url}/stats`);
    const seen = stats.keys['sk-packed']!;
    expect([seen.requests, seen.admitted, seen.rateLimited]).toEqual([6, 5, 1]);
    const snapshot = await getJson<Snapshot>(`${collector.url}/api/snapshot`);
    expect(snapshot.keys).toEqual([
      expect.objectContaining({
        key: 'packed',
        provider: 'openai',
        model: 'gpt-4o-mini',
        totals: {
          requests: 6,
          rateLimited: 1,
          calls: 5,
          inputTokens: seen.tokens.input,
          outputTokens: seen.tokens.output,
        },
        replicas: [expect.objectContaining({ service: 'packed-app' })],
      }),
    ]);

    // The dashboard, from the installed @headroom/dashboard: the page and the script it loads.
    const page = await fetch(`${collector.url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<div id="root"></div>');
    const script = /<script type="module" crossorigin src="\.\/(assets\/[^"]+\.js)">/.exec(html);
    expect(script).not.toBeNull();
    const bundle = await fetch(`${collector.url}/${script![1]}`);
    expect([bundle.status, bundle.headers.get('content-type')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
  }, 240_000);
});

function versionOf(directory: string): string {
  return (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/**
 * Gives the project's better-sqlite3 the binary this repository's install built, for the same
 * Node.js; when the project got another version (the registry moved past the lockfile), builds
 * it there, as its skipped install script would have.
 */
async function linkSqliteBinary(project: string): Promise<void> {
  const ours = join(root, 'node_modules', 'better-sqlite3');
  const theirs = join(project, 'node_modules', 'better-sqlite3');
  const binary = join('build', 'Release', 'better_sqlite3.node');
  if (versionOf(ours) === versionOf(theirs) && existsSync(join(ours, binary))) {
    mkdirSync(join(theirs, 'build', 'Release'), { recursive: true });
    copyFileSync(join(ours, binary), join(theirs, binary));
    return;
  }
  await run('npm', ['rebuild', 'better-sqlite3', '--no-audit', '--no-fund'], {
    cwd: project,
    env: { ...process.env, ...npmFree },
    timeout: 150_000,
  });
}
