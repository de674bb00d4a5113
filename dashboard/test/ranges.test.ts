// @vitest-environment node

import { fileURLToPath, pathToFileURL } from 'node:url';
import { startMockProvider } from '@headroom/mock-provider';
import { type Headroom, init } from '@headroom/sdk';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchBrowser,
  outputDirectory,
  resources,
  startCollector,
  waitFor,
} from './harness.js';

/** The collector's own store, to put a week of rollups on disk before it starts. */
interface RollupStore {
  addRollups(rows: ReadonlyArray<Record<string, unknown>>): void;
  close(): void;
}
const storage = pathToFileURL(
  fileURLToPath(new URL('../../collector/dist/storage/index.js', import.meta.url)),
).href;

const open = resources();
let browser: Browser;
let collector: Awaited<ReturnType<typeof startCollector>>;
let headroom: Headroom;
let mock: Awaited<ReturnType<typeof startMockProvider>>;

/** What one chart draws: uPlot's data, through the figure's test hook, and its series labels. */
async function chartData(page: Page, label: string) {
  return page.locator(`figure[aria-label="${label}"]`).evaluate((element) => {
    const chart = (element as unknown as Record<symbol, any>)[Symbol.for('headroom.chart')];
    return {
      data: chart.data as Array<Array<number | null>>,
      labels: (chart.series as Array<{ label?: string }>).map((series) => series.label ?? ''),
    };
  });
}

const IN_FLIGHT =
  'Calls in flight at the provider, stacked by key; calls waiting in a guard, dashed';
const RPM = 'Requests per minute against the RPM ceiling, warning band 80 to 95 %';
const MINUTE = 60_000;
/** The last minute that ended when the rollups were written (epoch minutes). */
let lastMinute: number;
/** Minutes before `lastMinute` of the rows on disk, with their requests. */
const STORED: ReadonlyArray<[ago: number, requests: number]> = [
  [10_000, 120],
  [1440, 60],
  [100, 30],
];

describe.skipIf(!hasChromium)(
  'chart ranges and the guard on the in-flight chart (Chromium)',
  () => {
    beforeAll(async () => {
      const data = open.directory();
      const { openStore } = (await import(storage)) as {
        openStore(directory: string): RollupStore;
      };
      const store = openStore(data);
      lastMinute = Math.floor(Date.now() / MINUTE) - 1;
      store.addRollups(
        STORED.map(([ago, requests]) => ({
          minute: (lastMinute - ago) * MINUTE,
          key: 'weekly',
          provider: 'openai',
          model: 'gpt-4o-mini',
          requests,
          rateLimited: 0,
          calls: requests,
          inputTokens: requests * 10,
          outputTokens: requests,
          peakActive: 3,
          replicas: 1,
        })),
      );
      store.close();
      mock = await startMockProvider({ port: 0, latency: { fixedMs: 1500 } });
      open.add(() => mock.close());
      collector = await startCollector(data);
      open.add(() => collector.stop());
      headroom = init({
        serviceName: 'ranges',
        collectorUrl: collector.url,
        exportIntervalMillis: 200,
        registerGlobals: false,
      });
      open.add(() => headroom.shutdown());
      browser = await launchBrowser();
      open.add(() => browser.close());
    }, 60_000);

    afterAll(() => open.close());

    it('the 7-day range shows the minutes on disk at 1-minute resolution, and back to 5 min is live again', async () => {
      // A key with traffic now, so the page has charts to show.
      const client = headroom.instrument(
        new OpenAI({ apiKey: 'sk-weekly', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
        { key: 'weekly' },
      );
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'now' }],
      });
      await headroom.forceFlush();
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(collector.url);
      await page.locator(`figure[aria-label="${RPM}"]`).waitFor({ timeout: 10_000 });
      await page.locator('[data-testid="range"][data-range="604800"]').click();
      await page
        .locator('[data-testid="range"][data-range="604800"][aria-pressed="true"]')
        .waitFor({ timeout: 5_000 });
      const week = await waitFor(
        async () => {
          const chart = await chartData(page, RPM);
          return chart.data[0]!.length === 10_080 ? chart : undefined;
        },
        10_000,
        'the RPM chart to hold a week of minutes',
      );
      const [xs, requests] = week.data as [number[], Array<number | null>];
      // A minute apart, ending with the last minute that ended (a minute may have ended since).
      expect(xs.every((x, index) => index === 0 || x - xs[index - 1]! === 60)).toBe(true);
      expect([lastMinute * 60, (lastMinute + 1) * 60]).toContain(xs.at(-1));
      const expected = new Map(STORED.map(([ago, value]) => [(lastMinute - ago) * 60, value]));
      const shown = new Map<number, number>();
      xs.forEach((x, index) => {
        const value = requests![index];
        if (value !== 0 && value !== null && value !== undefined && x < lastMinute * 60 - 60)
          shown.set(x, value);
      });
      expect(shown).toEqual(expected);
      // The cursor's time in the legend: the minute, ISO-like, with the zone.
      await page.locator(`figure[aria-label="${RPM}"] .u-over`).hover();
      const when = await page
        .locator(`figure[aria-label="${RPM}"] .u-legend .u-series`)
        .first()
        .locator('.u-value')
        .textContent();
      expect(when).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d \S+$/);
      await page.locator('#charts').screenshot({ path: `${outputDirectory}/range-7d.png` });

      await page.locator('[data-testid="range"][data-range="300"]').click();
      // Back at 5 minutes, the chart has its 300 slots at once; its seconds once the history
      // and the frames are in (until then the axis holds no second at all).
      const live = await waitFor(
        async () => {
          const chart = await chartData(page, RPM);
          const xs = chart.data[0] as number[];
          return xs.length === 300 && Number.isFinite(xs[0]) ? chart : undefined;
        },
        10_000,
        'the RPM chart to be back at 5 minutes of seconds',
      );
      const seconds = live.data[0] as number[];
      expect(seconds.every((x, index) => index === 0 || x - seconds[index - 1]! === 1)).toBe(true);
      // Live again: the frames keep the last second moving.
      await waitFor(
        async () => {
          const chart = await chartData(page, RPM);
          return (chart.data[0] as number[]).at(-1)! > seconds.at(-1)! ? true : undefined;
        },
        10_000,
        'the 5-minute range to move with the frames',
      );
      await page.close();
    }, 60_000);

    it('a guarded key reads as its calls at the provider and, dashed, those waiting in the guard', async () => {
      const guarded = headroom.instrument(
        new OpenAI({ apiKey: 'sk-guarded', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
        { key: 'guarded', guard: { concurrency: 1, maxQueue: 10 } },
      );
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(collector.url);
      await page.locator(`figure[aria-label="${IN_FLIGHT}"]`).waitFor({ timeout: 10_000 });
      // Six at once through a guard of one: one at the provider, five waiting, for 1.5 s each.
      const calls = Promise.all(
        Array.from({ length: 6 }, () =>
          guarded.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'queued' }],
          }),
        ),
      );
      const waitingLabel = 'waiting in guard · guarded · openai · gpt-4o-mini';
      const chart = await waitFor(
        async () => {
          const shown = await chartData(page, IN_FLIGHT);
          const line = shown.labels.indexOf(waitingLabel);
          return line > 0 && shown.data[line]!.includes(5) ? shown : undefined;
        },
        20_000,
        'the in-flight chart to show five calls waiting in the guard',
      );
      await calls;
      await page
        .locator(`figure[aria-label="${IN_FLIGHT}"]`)
        .screenshot({ path: `${outputDirectory}/in-flight-guard.png` });
      const history = (await (await fetch(`${collector.url}/api/history?seconds=300`)).json()) as {
        seconds: number[];
        keys: Record<string, Record<string, number[]>>;
      };
      const key = history.keys['guarded|openai|gpt-4o-mini']!;
      const xs = chart.data[0] as number[];
      const line = chart.labels.indexOf(waitingLabel);
      const at = xs[chart.data[line]!.indexOf(5)]!;
      const index = history.seconds.indexOf(at);
      // That second as the collector has it: 6 started, 5 waiting, 1 at the provider.
      expect({
        peak: key.peakActiveCalls![index],
        waiting: key.guardWaiting![index],
        atProvider: key.activeAtProvider![index],
      }).toEqual({ peak: 6, waiting: 5, atProvider: 1 });
      // The stack holds the guarded key at the provider; its colour is the waiting line's.
      const stacked = chart.labels.indexOf('guarded · openai · gpt-4o-mini');
      expect(stacked).toBeGreaterThan(0);
      const colours = await page.locator(`figure[aria-label="${IN_FLIGHT}"]`).evaluate(
        (element, { first, second }) => {
          const plot = (element as unknown as Record<symbol, any>)[Symbol.for('headroom.chart')];
          return [plot.series[first].stroke(plot, first), plot.series[second].stroke(plot, second)];
        },
        { first: stacked, second: line },
      );
      expect(colours[0]).toBe(colours[1]);
      await page.close();
    }, 60_000);
  },
);
