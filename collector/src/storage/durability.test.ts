import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTemporaryDirectory } from './test-helpers.js';
import type { AlertTransition, Ceiling, Rule } from './types.js';

const collectorDirectory = fileURLToPath(new URL('../../', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/acknowledge-writes.mjs', import.meta.url));
const built = fileURLToPath(new URL('../../dist/storage/index.js', import.meta.url));
const KILL_AFTER = 30;

type Acknowledged =
  | { kind: 'ceiling'; value: Ceiling }
  | { kind: 'rule'; value: Rule }
  | { kind: 'transition'; value: AlertTransition };

interface WriterResult {
  acknowledged: Acknowledged[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the writer and SIGKILLs it as soon as it has acknowledged `KILL_AFTER` puts. */
async function runWriterUntilKilled(directory: string): Promise<WriterResult> {
  const child = spawn(process.execPath, [writer, directory, '50'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      child.on('close', (_code, signal) => resolve(signal));
    });
    const acknowledged: Acknowledged[] = [];
    // Every line the child printed is read, including any written between the kill and death.
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /^acknowledged (\d+) (.*)$/.exec(line);
      if (!match) throw new Error(`Unexpected line from the writer: ${line}`);
      acknowledged.push(JSON.parse(match[2]!));
      expect(Number(match[1])).toBe(acknowledged.length);
      if (acknowledged.length === KILL_AFTER) child.kill('SIGKILL');
    }
    return { acknowledged, signal: await exited, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('durability', () => {
  const temporary = useTemporaryDirectory();

  beforeAll(() => {
    // The child must run the store as shipped, so build it. Other parts of the collector may be
    // mid-edit; tsc still emits, so only errors in storage fail the test.
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: collectorDirectory,
      encoding: 'utf8',
    });
    const storageErrors = build.stdout
      .split('\n')
      .filter((line) => line.startsWith('src/storage/'));
    if (storageErrors.length > 0 || !existsSync(built)) {
      throw new Error(`Building the store failed:\n${storageErrors.join('\n') || build.stdout}`);
    }
  }, 120_000);

  it('keeps every put a process acknowledged before kill -9', async () => {
    const directory = temporary.directory();
    const { acknowledged, signal, stderr } = await runWriterUntilKilled(directory);
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const store = temporary.open();
    const transitions = store.listTransitions({ limit: 1000 });
    for (const item of acknowledged) {
      if (item.kind === 'ceiling')
        expect(store.getCeiling(item.value.id)).toStrictEqual(item.value);
      if (item.kind === 'rule') expect(store.getRule(item.value.id)).toStrictEqual(item.value);
      if (item.kind === 'transition') expect(transitions).toContainEqual(item.value);
    }
    // The first acknowledgements are the writer's first puts, exactly as it built them.
    expect(acknowledged.slice(0, 3).map((item) => item.kind)).toStrictEqual([
      'ceiling',
      'rule',
      'transition',
    ]);
    expect(acknowledged[0]?.value).toMatchObject({ id: 'ceiling-0', key: 'key-0', rpm: 500 });
    expect(acknowledged[2]?.value).toMatchObject({ sequence: 1, diagnosis: { index: 0 } });
    console.info(`writer acknowledged ${acknowledged.length} puts before it died`);
  });
});
