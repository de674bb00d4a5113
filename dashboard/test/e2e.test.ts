// @vitest-environment node

import { startMockProvider } from '@headroom/mock-provider';
import { type Headroom, init } from '@headroom/sdk';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchBrowser,
  resources,
  screenshot,
  startCollector,
  waitFor,
} from './harness.js';

if (!hasChromium)
  console.warn(
    'chromium not found at /usr/bin/chromium: `apt-get install chromium` to run the end-to-end tests (.ci/run installs it)',
  );

const open = resources();
let browser: Browser;
let collector: Awaited<ReturnType<typeof startCollector>>;
let data: string;
let headroom: Headroom;
let client: OpenAI;

/** What the collector says now, for one key. */
async function snapshotKey(key: string) {
  const snapshot = (await (await fetch(`${collector.url}/api/snapshot`)).json()) as {
    keys: Array<Record<string, any>>;
  };
  return snapshot.keys.find((entry) => entry.key === key);
}

/** The raw numbers the page shows on a key's card, by metric. */
async function cardFigures(page: Page, key: string): Promise<Record<string, number>> {
  const card = page.locator(`[data-testid="key-card"][data-key="${key}"]`);
  return card
    .locator('[data-metric]')
    .evaluateAll((elements) =>
      Object.fromEntries(
        elements.map((element) => [
          element.getAttribute('data-metric'),
          Number(element.getAttribute('data-value')),
        ]),
      ),
    );
}

describe.skipIf(!hasChromium)('dashboard end to end (real collector, real SDK, Chromium)', () => {
  beforeAll(async () => {
    data = open.directory();
    const mock = await startMockProvider({ port: 0, latency: { fixedMs: 5 } });
    open.add(() => mock.close());
    collector = await startCollector(data);
    open.add(() => collector.stop());
    headroom = init({
      serviceName: 'e2e',
      collectorUrl: collector.url,
      exportIntervalMillis: 200,
      registerGlobals: false,
    });
    open.add(() => headroom.shutdown());
    client = headroom.instrument(
      new OpenAI({ apiKey: 'sk-e2e', baseURL: `${mock.url}/v1`, maxRetries: 0 }),
      { key: 'e2e' },
    );
    for (let index = 0; index < 12; index++) {
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `question ${index}` }],
      });
    }
    await headroom.forceFlush();
    browser = await launchBrowser();
    open.add(() => browser.close());
  }, 60_000);

  afterAll(() => open.close());

  it('shows on screen exactly the numbers of /api/snapshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(collector.url);
    const expected = await waitFor(
      async () => {
        const key = await snapshotKey('e2e');
        return key?.requestsPerMinute === 12 ? key : undefined;
      },
      10_000,
      'the collector to hold 12 requests',
    );
    const figures = await waitFor(
      async () => {
        const shown = await cardFigures(page, 'e2e');
        return shown.requestsPerMinute === 12 ? shown : undefined;
      },
      10_000,
      'the card to show 12 requests',
    );
    for (const metric of [
      'requestsPerMinute',
      'tokensPerMinute',
      'activeCalls',
      'rateLimitedPerMinute',
    ]) {
      expect({ metric, value: figures[metric] }).toEqual({ metric, value: expected[metric] });
    }
    await screenshot(page, 'overview');
    await page.close();
  }, 60_000);

  it('a ceiling set in the form below the traffic raises the alert banner; it survives a reload and a collector restart', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(collector.url);
    const form = page.locator('[data-testid="ceiling-form"]');
    await form.locator('[name="key"]').fill('e2e');
    await form.locator('[name="provider"]').fill('openai');
    await form.locator('[name="model"]').fill('*');
    await form.locator('[name="rpm"]').fill('5');
    await form.getByRole('button', { name: 'Save ceiling' }).click();
    await page
      .locator('[data-testid="ceiling-list"]')
      .getByText('e2e')
      .waitFor({ timeout: 10_000 });
    // 12 requests in the minute against 5: utilization 2.4, and the critical rule fires after its `for`.
    const banner = page.getByRole('alert');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toMatch(/critical/i);
    await screenshot(page, 'alert-banner');
    await page.reload();
    await page
      .locator('[data-testid="ceiling-list"]')
      .getByText('e2e')
      .waitFor({ timeout: 10_000 });
    await collector.stop();
    collector = await startCollector(data, collector.port);
    open.add(() => collector.stop());
    await page.reload();
    await page
      .locator('[data-testid="ceiling-list"]')
      .getByText('e2e')
      .waitFor({ timeout: 10_000 });
    const ceilings = (await (await fetch(`${collector.url}/api/ceilings`)).json()) as Array<{
      key: string;
      rpm: number;
    }>;
    expect(ceilings.map(({ key, rpm }) => ({ key, rpm }))).toEqual([{ key: 'e2e', rpm: 5 }]);
    await screenshot(page, 'ceilings');
    await page.close();
  }, 90_000);

  it('a dropped live connection shows "disconnected — retrying" and recovers', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(collector.url);
    await page.locator('[data-testid="key-card"]').first().waitFor({ timeout: 10_000 });
    await collector.stop();
    const status = page.getByRole('status').filter({ hasText: /disconnected/i });
    await status.waitFor({ timeout: 15_000 });
    expect(await status.textContent()).toMatch(/disconnected — retrying/i);
    await screenshot(page, 'disconnected');
    collector = await startCollector(data, collector.port);
    open.add(() => collector.stop());
    await status.waitFor({ state: 'detached', timeout: 20_000 });
    // The restarted collector starts from an empty view: new traffic brings the card back.
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'again' }],
    });
    await headroom.forceFlush();
    await page.locator('[data-testid="key-card"]').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'reconnected');
    await page.close();
  }, 90_000);
});
