export { parseCeilingInput } from './ceiling-input.js';
export { ConfigError } from './config-error.js';
export { ConfigFileNotFoundError } from './config-file-not-found-error.js';
export { defaultRules } from './default-rules.js';
export { type ConfigFile, loadConfigFile } from './load-config-file.js';
export type { ParseOptions } from './parse-options.js';
export { parseRuleInput } from './rule-input.js';
export { parseWebhookInput } from './webhook-input.js';
