// The dashboard's benchmark (build first: `npm run build`), measured in Debian's Chromium:
// - the gzipped size of the bundle (target <= 300 kB);
// - time to first data on screen: from navigation start to the first painted frame;
// - frame time with 50 live series at 4 Hz: from a frame's arrival to its paint, median and p95.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { init } from '@headroom/sdk';
import { chromium } from 'playwright-core';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const cli = fileURLToPath(new URL('../../collector/dist/cli.js', import.meta.url));
const SERIES = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

function bundleSize() {
  let total = 0;
  const files = [];
  for (const file of readdirSync(join(dist, 'assets'))) {
    if (!/\.(js|css)$/.test(file)) continue;
    const size = gzipSync(readFileSync(join(dist, 'assets', file)), { level: 9 }).length;
    files.push([file, size]);
    total += size;
  }
  return { total, files };
}

async function startCollector(data) {
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data', data], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HEADROOM_TOKEN: '' },
  });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (\S+) /.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`collector exited: ${output}`)));
  });
  return { child, url };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.ceil(values.length * p) - 1];

const data = mkdtempSync(join(tmpdir(), 'headroom-dashboard-bench-'));
const { child, url } = await startCollector(data);
const headroom = init({
  serviceName: 'dashboard-bench',
  collectorUrl: url,
  exportIntervalMillis: 250,
  registerGlobals: false,
});
let running = true;
// 50 series (10 keys × 5 models), each with a call every 250 ms: the data changes at 4 Hz.
const traffic = (async () => {
  while (running) {
    const calls = [];
    for (let index = 0; index < SERIES; index++) {
      calls.push(
        headroom.trackCall(
          { provider: 'openai', model: `model-${index % 5}`, key: `key-${Math.floor(index / 5)}` },
          async (call) => {
            call.usage({ inputTokens: 100, outputTokens: 20 });
          },
        ),
      );
    }
    await Promise.all(calls);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
})();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  // Let the collector hold all 50 series before the page opens.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(url);
  await page.waitForFunction(() => window.__headroom?.firstDataAt !== undefined, undefined, {
    timeout: 30_000,
  });
  const firstData = await page.evaluate(() => window.__headroom.firstDataAt);
  await page.evaluate(() => {
    window.__headroom.frameTimes.length = 0;
  });
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const { frameTimes, frames, keys } = await page.evaluate(() => ({
    frameTimes: [...window.__headroom.frameTimes],
    frames: window.__headroom.frames,
    keys: document.querySelectorAll('[data-testid="key-card"]').length,
  }));
  const size = bundleSize();
  console.log(`Dashboard benchmark: ${SERIES} series at 4 Hz for ${SECONDS} s, Chromium headless`);
  console.log(
    `bundle, gzipped              ${(size.total / 1024).toFixed(1)} kB   target <= 300 kB   ${size.total <= 300 * 1024 ? 'met' : 'MISSED'}`,
  );
  for (const [file, bytes] of size.files)
    console.log(`  ${file.padEnd(28)} ${(bytes / 1024).toFixed(1)} kB`);
  console.log(`time to first data           ${firstData.toFixed(0)} ms`);
  console.log(
    `frames painted               ${frameTimes.length} in ${SECONDS} s (${(frameTimes.length / SECONDS).toFixed(1)}/s), ${frames} total, ${keys} key cards`,
  );
  console.log(`frame time, median           ${median(frameTimes).toFixed(1)} ms`);
  console.log(`frame time, p95              ${percentile(frameTimes, 0.95).toFixed(1)} ms`);
} finally {
  running = false;
  await traffic;
  await browser.close();
  await headroom.shutdown();
  child.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
}
