// One replica of a fleet that Prometheus scrapes directly (no Headroom collector): it serves the
// SDK's metrics on a port of its own and sends, open loop, at a rate that follows a schedule
// shared by every replica: BASE_RATE calls a second from START_AT (epoch ms) for STEADY_MS, then
// rising evenly to PEAK_RATE over RAMP_MS, then PEAK_RATE until it is stopped. Its first call goes
// PHASE_MS after START_AT, so that the replicas' calls interleave.
import { init } from '@headroom/sdk';
import OpenAI from 'openai';

const number = (name) => {
  const value = Number(process.env[name]);
  if (!Number.isFinite(value))
    throw new Error(`${name} must be a number, got ${process.env[name]}`);
  return value;
};
const startAt = number('START_AT');
const base = number('BASE_RATE');
const peak = number('PEAK_RATE');
const steadyMs = number('STEADY_MS');
const rampMs = number('RAMP_MS');

const headroom = init({
  serviceName: 'prometheus-fleet',
  collectorUrl: false,
  prometheus: { port: 0 },
});
const client = headroom.instrument(
  new OpenAI({ apiKey: process.env.API_KEY, baseURL: `${process.env.MOCK_URL}/v1`, maxRetries: 0 }),
  { key: 'fleet' },
);
const url = await headroom.prometheusUrl();
if (url === undefined) throw new Error('the Prometheus endpoint did not listen');
console.log(`listening on ${url}`);

/** Calls a second, `at` ms after the start. */
function rate(at) {
  if (at < steadyMs) return base;
  if (at < steadyMs + rampMs) return base + ((peak - base) * (at - steadyMs)) / rampMs;
  return peak;
}

let next = startAt + number('PHASE_MS');
const send = () => {
  client.chat.completions
    .create({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
    .catch(() => {});
  next += 1000 / rate(next - startAt);
  setTimeout(send, Math.max(0, next - Date.now()));
};
setTimeout(send, Math.max(0, startAt - Date.now()));
