// One team's worker: one call after another, at most 3 a second, on its own key. Alone it
// stays under its organization's ceiling; two teams on keys of one organization do not.
import OpenAI from 'openai';
import { apiKey, baseURL, deadline, sleep } from './env.mjs';

const client = new OpenAI({ apiKey, baseURL, maxRetries: 0 });
let answered = 0;
let refused = 0;
while (Date.now() < deadline) {
  const started = Date.now();
  try {
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      max_tokens: 16,
      messages: [{ role: 'user', content: `Summarise ticket ${answered + refused + 1}.` }],
    });
    answered++;
  } catch (error) {
    if (error?.status !== 429) throw error;
    refused++;
  }
  await sleep(Math.max(0, 333 - (Date.now() - started)));
}
console.log(`team: ${answered} answered, ${refused} refused`);
