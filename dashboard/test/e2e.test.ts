// @vitest-environment node

import { mkdirSync } from 'node:fs';
import { startMockProvider } from '@headroom/mock-provider';
import { type Headroom, init } from '@headroom/sdk';
import { Annotation, END, Send, START, StateGraph } from '@langchain/langgraph';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchBrowser,
  outputDirectory,
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
let mock: Awaited<ReturnType<typeof startMockProvider>>;
let agent: { invoke(input: object): Promise<unknown> };

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
    mock = await startMockProvider({ port: 0, latency: { fixedMs: 5 } });
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
    for (let index = 0; index < 8; index++) {
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `question ${index}` }],
      });
    }
    // A LangGraph agent: plan, a `Send` fan-out of 4 to `work` (each calls the model), merge.
    const State = Annotation.Root({
      done: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
    });
    const graph = new StateGraph(State)
      .addNode('plan', async () => ({ done: 0 }))
      .addNode('work', async () => {
        await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'part' }],
        });
        return { done: 1 };
      })
      .addNode('merge', async () => ({ done: 0 }))
      .addEdge(START, 'plan')
      .addConditionalEdges('plan', () => [0, 1, 2, 3].map(() => new Send('work', {})))
      .addEdge('work', 'merge')
      .addEdge('merge', END)
      .compile();
    agent = headroom.instrument(graph, { name: 'agent' });
    await agent.invoke({});
    await headroom.forceFlush();
    browser = await launchBrowser();
    open.add(() => browser.close());
    mkdirSync(outputDirectory, { recursive: true });
  }, 60_000);

  afterAll(() => open.close());

  it('shows on screen exactly the numbers of /api/snapshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(collector.url);
    // Ground truth: what the provider itself received (8 direct calls and the agent's 4).
    const truth = mock.stats().totals.requests;
    expect(truth).toBe(12);
    let held: unknown;
    const expected = await waitFor(
      async () => {
        const key = await snapshotKey('e2e');
        held = key?.requestsPerMinute;
        return key?.requestsPerMinute === truth ? key : undefined;
      },
      10_000,
      'the collector to hold what the provider saw',
    ).catch((error: Error) => {
      throw new Error(`${error.message}; it holds ${String(held)}, the provider saw ${truth}`);
    });
    const figures = await waitFor(
      async () => {
        const shown = await cardFigures(page, 'e2e');
        return shown.requestsPerMinute === truth ? shown : undefined;
      },
      10_000,
      'the card to show what the provider saw',
    );
    for (const metric of [
      'requestsPerMinute',
      'tokensPerMinute',
      'activeAtProvider',
      'rateLimitedPerMinute',
    ]) {
      expect({ metric, value: figures[metric] }).toEqual({ metric, value: expected[metric] });
    }
    await screenshot(page, 'overview');
    await page.close();
  }, 60_000);

  it('a guarded key shows the guard beside it, exactly as /api/snapshot has it', async () => {
    const guarded = headroom.instrument(
      new OpenAI({ apiKey: 'sk-e2e-guarded', baseURL: `${mock.url}/v1` }),
      { key: 'guarded', guard: { concurrency: 1, maxQueue: 1 } },
    );
    // One goes, one waits its turn, the third finds the queue full.
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, () =>
        guarded.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'guarded' }],
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    await headroom.forceFlush();
    const expected = await waitFor(
      async () => {
        const guard = (await snapshotKey('guarded'))?.guard;
        return guard?.rejectedPerMinute === 1 ? guard : undefined;
      },
      10_000,
      'the collector to hold the guard’s figures',
    );
    expect(expected).toMatchObject({ admittedPerMinute: 2, delayedPerMinute: 1, waiting: 0 });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(collector.url);
    const region = page
      .locator('[data-testid="key-card"][data-key="guarded"]')
      .getByRole('region', { name: 'Guard' });
    await region.waitFor({ timeout: 10_000 });
    const shown = await region
      .locator('[data-metric]')
      .evaluateAll((elements) =>
        Object.fromEntries(
          elements.map((element) => [
            element.getAttribute('data-metric'),
            JSON.parse(element.getAttribute('data-value') ?? 'null'),
          ]),
        ),
      );
    expect(shown).toEqual({
      'guard.waiting': expected.waiting,
      'guard.admittedPerMinute': expected.admittedPerMinute,
      'guard.rejectedPerMinute': expected.rejectedPerMinute,
      'guard.averageWaitSeconds': expected.averageWaitSeconds,
    });
    await region.screenshot({ path: `${outputDirectory}/guard.png` });
    await page.close();
  }, 60_000);

  it('every view, with the graph as observed: its nodes and the flow between them', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(collector.url);
    await page.locator('[data-testid="key-card"]').first().waitFor({ timeout: 10_000 });
    // Graph data lives in the last 60 s: run the agent again so it is on screen now.
    await agent.invoke({});
    await headroom.forceFlush();
    const work = page.locator('[data-testid="graph-node"][data-graph="agent"][data-node="work"]');
    await work.waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="flow-edge"]').first().waitFor({ timeout: 10_000 });
    const snapshot = (await (await fetch(`${collector.url}/api/snapshot`)).json()) as {
      edges: Array<{ from: string; to: string }>;
    };
    expect(snapshot.edges.map(({ from, to }) => `${from}→${to}`).sort()).toEqual([
      'plan→work',
      'work→merge',
    ]);
    expect(await page.locator('[data-testid="flow-edge"]').count()).toBe(2);
    for (const view of ['overview', 'charts', 'graph', 'fleet', 'alerts', 'settings']) {
      await page.locator(`#${view}`).screenshot({ path: `${outputDirectory}/view-${view}.png` });
    }
    await page.close();
  }, 60_000);

  it('first run: with no data yet, the page shows how to instrument an app', async () => {
    const empty = await startCollector(open.directory());
    open.add(() => empty.stop());
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(empty.url);
    const firstRun = page.locator('[data-testid="first-run"]');
    await firstRun.waitFor({ timeout: 10_000 });
    expect(await firstRun.textContent()).toContain('@headroom/sdk');
    await screenshot(page, 'first-run');
    await page.close();
  }, 30_000);

  it('a ceiling set in the form below the traffic raises the alert banner and opens an incident; both survive a reload and a collector restart', async () => {
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
    // The alerts on the key are one incident, first on the page.
    const incident = page.locator('[data-testid="incident"][data-state="open"]');
    await incident.first().waitFor({ timeout: 10_000 });
    expect(await incident.count()).toBe(1);
    expect(await incident.getByRole('heading').textContent()).toContain('e2e · openai');
    const incidentId = await incident.getAttribute('data-incident');
    await page.locator('#incidents').screenshot({ path: `${outputDirectory}/view-incidents.png` });
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
    // The restarted collector picked the open incident up from its SQLite file.
    await page
      .locator(`[data-testid="incident"][data-incident="${incidentId}"]`)
      .waitFor({ timeout: 10_000 });
    await screenshot(page, 'ceilings');
    await page.close();
  }, 90_000);

  it('a dropped live connection shows "disconnected — retrying" and recovers', async () => {
    // Traffic now, so the key's card is among the active ones, not folded away as idle.
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'still here' }],
    });
    await headroom.forceFlush();
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
