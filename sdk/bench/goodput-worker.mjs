// One replica of the fleet workload: its calls, its strategy, on the shared key. Env: MOCK_URL,
// STRATEGY, CALLS, REDIS_URL (guard; guardLocal has none), API_KEY (default sk-goodput), KEY
// (the guard's name for it, default goodput). Says it is ready, waits for the parent's start;
// prints what failed.
import { init } from '@headroom/sdk';
import OpenAI from 'openai';
import { runCalls } from './goodput-strategies.mjs';

const strategy = process.env.STRATEGY;
const key = process.env.KEY || 'goodput';
const headroom = init({ serviceName: 'goodput', collectorUrl: false });
const openai = new OpenAI({
  apiKey: process.env.API_KEY || 'sk-goodput',
  baseURL: `${process.env.MOCK_URL}/v1`,
});
const client =
  strategy === 'guard'
    ? headroom.instrument(openai, { key, guard: { redis: process.env.REDIS_URL } })
    : strategy === 'guardLocal'
      ? headroom.instrument(openai, { key, guard: true })
      : openai;
// When (ms after the start) this replica's first and last answers came.
const answered = [];
let started = 0;
const calls = Array.from(
  { length: Number(process.env.CALLS) },
  (_, index) => () =>
    client.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `document ${index}` }],
      })
      .finally(() => answered.push(performance.now() - started)),
);
// Loaded: say so, then start when the parent says.
const start = new Promise((resolve) => process.once('message', resolve));
process.send('ready');
await start;
started = performance.now();
const results = await runCalls(strategy, calls);
await headroom.shutdown();
const failed = results.filter((result) => result.status === 'rejected').length;
const first = Math.round(Math.min(...answered));
const last = Math.round(Math.max(...answered));
process.stdout.write(`${JSON.stringify({ failed, first, last })}\n`, () => process.exit(0));
