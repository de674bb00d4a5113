import { durationSeconds, headroomFor, onStop, provider, say } from '@headroom/example-kit';
import { describeRun } from './describe-run.js';
import { run } from './run.js';

const EXAMPLE = 'langgraph-agent';
const TOPICS = ['stacked retries', 'fan-out', 'graph loops', 'oversized batches'];
const MAX_REVISIONS = 3;
const RECURSION_LIMIT = 25;

// 240 RPM is 4 requests a second. One runaway `write` loop, a call every ~200 ms, is over that
// on its own.
const mock = await provider({ rpm: 240, concurrency: 6 }, { fixedMs: 150, jitterMs: 100 });
const headroom = headroomFor(EXAMPLE);
const key = process.env.HEADROOM_KEY ?? 'agent';
const end = new AbortController();
const stop = onStop(async () => {
  end.abort();
  await headroom.shutdown();
  await mock.close();
});
const timer = setTimeout(() => end.abort(), durationSeconds(60) * 1000);

say(
  EXAMPLE,
  `research agent (LangGraph) on ${mock.url}, key "${key}": runs with and without a hard stop on its write loop`,
);
for (let round = 0; !end.signal.aborted; round++) {
  const hardStop = round % 2 === 0;
  const summary = await run({
    baseURL: `${mock.url}/v1`,
    headroom,
    topics: TOPICS,
    hardStop,
    maxRevisions: MAX_REVISIONS,
    recursionLimit: RECURSION_LIMIT,
    apiKey: `sk-example-${key}`,
    key,
    signal: end.signal,
  });
  say(EXAMPLE, describeRun(summary, hardStop, RECURSION_LIMIT));
}
clearTimeout(timer);
await stop();
