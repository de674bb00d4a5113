/** Bad ceiling, rule or webhook input, or a bad config file: one line naming the field and value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
