// One replica of the fleet workload: its calls, its strategy, on the shared key. Env: MOCK_URL,
// STRATEGY, CALLS, REDIS_URL (guard; guardLocal has none). Says it is ready, waits for the
// parent's start; prints what failed.
import { init } from '@headroom/sdk';
import OpenAI from 'openai';
import { runCalls } from './goodput-strategies.mjs';

const strategy = process.env.STRATEGY;
const headroom = init({ serviceName: 'goodput', collectorUrl: false });
const openai = new OpenAI({ apiKey: 'sk-goodput', baseURL: `${process.env.MOCK_URL}/v1` });
const client =
  strategy === 'guard'
    ? headroom.instrument(openai, { key: 'goodput', guard: { redis: process.env.REDIS_URL } })
    : strategy === 'guardLocal'
      ? headroom.instrument(openai, { key: 'goodput', guard: true })
      : openai;
const calls = Array.from(
  { length: Number(process.env.CALLS) },
  (_, index) => () =>
    client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `document ${index}` }],
    }),
);
// Loaded: say so, then start when the parent says.
const start = new Promise((resolve) => process.once('message', resolve));
process.send('ready');
await start;
const results = await runCalls(strategy, calls);
await headroom.shutdown();
const failed = results.filter((result) => result.status === 'rejected').length;
process.stdout.write(`${JSON.stringify({ failed })}\n`, () => process.exit(0));
