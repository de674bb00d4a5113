import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const cli = fileURLToPath(new URL('../../collector/dist/cli.js', import.meta.url));
export const outputDirectory = fileURLToPath(new URL('../test-output/', import.meta.url));

/** Everything a test starts, stopped in reverse order even when an assertion fails. */
export function resources() {
  const closers: Array<() => unknown> = [];
  return {
    add(closer: () => unknown) {
      closers.push(closer);
    },
    directory(): string {
      const directory = mkdtempSync(join(tmpdir(), 'headroom-e2e-'));
      closers.push(() => rmSync(directory, { recursive: true, force: true }));
      return directory;
    },
    async close() {
      for (const closer of closers.splice(0).reverse()) {
        try {
          await closer();
        } catch {
          // Keep closing the rest.
        }
      }
    },
  };
}

/** The real `headroom` process on `port` (0: any), with its data in `data`. */
export async function startCollector(
  data: string,
  port = 0,
): Promise<{ url: string; port: number; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [cli, 'start', '--port', String(port), '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HEADROOM_TOKEN: '' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (\S+) /.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', () => reject(new Error(`collector exited: ${output}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return { url, port: Number(new URL(url).port), child, stop };
}

export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...extraArgs,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(outputDirectory, { recursive: true });
  await page.screenshot({ path: join(outputDirectory, `${name}.png`), fullPage: true });
}

/** Polls `check` until it returns a value. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
