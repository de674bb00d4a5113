import { ConfigError } from './config-error.js';

/** Its own class so the CLI can tell "no config file" (often fine) from "a broken one". */
export class ConfigFileNotFoundError extends ConfigError {
  override name = 'ConfigFileNotFoundError';

  constructor(readonly path: string) {
    super(`Config file not found: ${path}`);
  }
}
