// A support bot answering one question at a time, about two a second: a fifth of its key's
// 600 RPM. Nothing here should raise an alert.
import OpenAI from 'openai';
import { apiKey, baseURL, deadline, sleep } from './env.mjs';

const client = new OpenAI({ apiKey, baseURL });
let answered = 0;
while (Date.now() < deadline) {
  await client.chat.completions.create({
    model: 'gpt-4o-mini',
    max_tokens: 32,
    messages: [{ role: 'user', content: `Where is my order number ${answered + 1}?` }],
  });
  answered++;
  await sleep(100);
}
console.log(`healthy: ${answered} answered`);
