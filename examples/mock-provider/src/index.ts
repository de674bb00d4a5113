export type { TokenCount, TokenCountRequest } from './count-tokens.js';
export {
  CHARACTERS_PER_TOKEN,
  contentText,
  countTextTokens,
  countTokens,
  DEFAULT_MAX_TOKENS,
  MESSAGE_OVERHEAD_TOKENS,
  REPLY_BASE_TOKENS,
  REPLY_SPREAD_TOKENS,
} from './count-tokens.js';
export type {
  MockProviderControls,
  MockProviderHandle,
  ScriptOptions,
} from './create-mock-provider.js';
export { createMockProvider, createMockProviderApp } from './create-mock-provider.js';
export { formatDuration } from './format-duration.js';
export type {
  KeyOptions,
  LatencyOptions,
  MockProviderOptions,
  RateLimits,
  StartMockProviderOptions,
} from './options.js';
export { replyText } from './reply-text.js';
export type { ScriptedOutcome, ScriptedOutcomeInput } from './script-queue.js';
export { DEFAULT_SCRIPTED_RETRY_AFTER_MS } from './script-queue.js';
export type { MockProvider } from './start-mock-provider.js';
export { startMockProvider } from './start-mock-provider.js';
export type { KeyStats, MockProviderStats, ModelStats, TokenTotals } from './stats-recorder.js';
