#!/usr/bin/env node
import { parseCliArguments, USAGE } from './parse-cli-arguments.js';
import { type MockProvider, startMockProvider } from './start-mock-provider.js';

const NAME = 'headroom-mock-provider';

/** Node's parseArgs errors span several lines; a CLI error should be one. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().replace(/\s*\n\s*/g, ' ');
}

let config: ReturnType<typeof parseCliArguments>;
try {
  config = parseCliArguments(process.argv.slice(2));
} catch (error) {
  console.error(`${NAME}: ${oneLine(error)} (see --help)`);
  process.exit(2);
}

if (config.help) {
  console.log(USAGE);
} else {
  // Listen for signals before announcing the URL: whoever reads it may signal at once, and
  // without a listener Node dies of the signal instead of closing.
  let provider: MockProvider | undefined;
  const stop = async (signal: NodeJS.Signals) => {
    await provider?.close();
    console.log(`${NAME} stopped (${signal})`);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  provider = await startMockProvider(config.options).catch((error: unknown) => {
    console.error(
      `${NAME}: cannot listen on ${config.options.host}:${config.options.port}: ${oneLine(error)}`,
    );
    process.exit(1);
  });
  if (config.script.length > 0) provider.script(config.script);
  console.log(`${NAME} listening on ${provider.url}`);
}
