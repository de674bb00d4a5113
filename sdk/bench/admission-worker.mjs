// One replica admitting attempts through the guard's fleet budget on Redis, as fast as the
// budget lets it: no HTTP, so what is measured is the admission itself. Env: REDIS_URL, LANE,
// RPM, COUNT. Says it is ready, waits for the parent's start; prints the round trip of each
// admission script (µs) and how many of its answers were waits.
import { SharedBudgets } from '../dist/guard/shared-budget.js';

const budgets = SharedBudgets.connect(process.env.REDIS_URL, 'bench');
await new Promise((resolve) => {
  const ready = () => budgets.up && resolve();
  budgets.lanes.add(ready);
  ready();
});
const limits = { rpm: Number(process.env.RPM) };
const count = Number(process.env.COUNT);
const start = new Promise((resolve) => process.once('message', resolve));
process.send('ready');
await start;
const roundTrips = [];
let waits = 0;
for (let admitted = 0; admitted < count; ) {
  const sent = performance.now();
  const admission = await budgets.admit(process.env.LANE, { tokens: 100 }, limits);
  roundTrips.push(Math.round((performance.now() - sent) * 1000));
  if (admission.admitted) {
    admitted++;
  } else {
    waits++;
    await new Promise((resolve) => setTimeout(resolve, admission.value));
  }
}
await budgets.close();
process.stdout.write(`${JSON.stringify({ roundTrips, waits })}\n`, () => process.exit(0));
