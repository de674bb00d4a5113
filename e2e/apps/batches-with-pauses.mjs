// A nightly job that labels documents 40 at a time with `Promise.all`, and waits 3 s after each
// batch "to be nice to the API". Each batch still starts 40 calls in one second, four times what
// one second of 600 RPM holds; the pauses only leave quiet seconds between the bursts.
import OpenAI from 'openai';
import { apiKey, baseURL, deadline, sleep } from './env.mjs';

const BATCH = 40;
const client = new OpenAI({ apiKey, baseURL });
let batches = 0;
let failed = 0;
while (Date.now() < deadline) {
  const results = await Promise.allSettled(
    Array.from({ length: BATCH }, (_, index) =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 16,
        messages: [
          { role: 'system', content: 'Label this document: invoice, contract or letter.' },
          {
            role: 'user',
            content: `Document ${batches * BATCH + index + 1}: payment due in 30 days.`,
          },
        ],
      }),
    ),
  );
  failed += results.filter((result) => result.status === 'rejected').length;
  batches++;
  await sleep(3000);
}
console.log(`batches-with-pauses: ${batches} batches of ${BATCH}, ${failed} failed`);
