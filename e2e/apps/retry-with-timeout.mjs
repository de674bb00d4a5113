// Ten questions at once, each given 2 s before the app asks again (up to 3 times), the usual
// `Promise.race` against a timer: the attempt it gave up on is not cancelled and keeps its
// client's own retries going. With `CLIENT=langchain` the same through LangChain's `ChatOpenAI`.
import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
import { apiKey, baseURL, deadline, sleep } from './env.mjs';

const QUESTIONS = 10;
const ATTEMPT_MS = 2000;
const ATTEMPTS = 3;

const ask =
  process.env.CLIENT === 'langchain'
    ? (() => {
        const model = new ChatOpenAI({
          model: 'gpt-4o-mini',
          apiKey,
          maxTokens: 32,
          maxRetries: 2,
          configuration: { baseURL },
        });
        return (question) => model.invoke(question);
      })()
    : (() => {
        const client = new OpenAI({ apiKey, baseURL });
        return (question) =>
          client.chat.completions.create({
            model: 'gpt-4o-mini',
            max_tokens: 32,
            messages: [{ role: 'user', content: question }],
          });
      })();

function timeout(milliseconds) {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error('timed out')), milliseconds).unref(),
  );
}

async function withRetries(question) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Promise.race([ask(question), timeout(ATTEMPT_MS)]);
    } catch (error) {
      if (attempt === ATTEMPTS) throw error;
    }
  }
}

let rounds = 0;
let failed = 0;
while (Date.now() < deadline) {
  const results = await Promise.allSettled(
    Array.from({ length: QUESTIONS }, (_, index) =>
      withRetries(`Question ${rounds * QUESTIONS + index + 1}: what does the refund policy say?`),
    ),
  );
  failed += results.filter((result) => result.status === 'rejected').length;
  rounds++;
  await sleep(1000);
}
console.log(`retry-with-timeout: ${rounds} rounds of ${QUESTIONS}, ${failed} gave up`);
