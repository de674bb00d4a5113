import { describeFirstIssue, type InputDescription } from '@headroom/contract';
import type { $ZodError } from 'zod/v4/core';
import { ConfigError } from './config-error.js';

/** Bad input as one `ConfigError` line, in the words the contract gives every client (see describeFirstIssue). */
export function toConfigError(
  error: $ZodError,
  input: unknown,
  description: InputDescription,
): ConfigError {
  return new ConfigError(describeFirstIssue(error, input, description));
}
