import type { CallResult } from '../internal/call-state.js';

/** One model-calling method of a provider client, e.g. `chat.completions.create`. */
export interface MethodSpec {
  /** Property path from the client to the resource object. */
  path: readonly string[];
  /** Static class path from the module's client export to the resource class (for prototype patching). */
  classPath: readonly string[];
  operation: string;
  /** Facts from a complete (non-streamed) response. */
  parse(result: any): CallResult;
  /** Facts from one streamed event, merged into `into`. */
  parseEvent(event: any, into: CallResult): void;
  /** The request's messages, captured only when content capture is on. */
  inputMessages(body: any): unknown;
}

export interface ProviderSpec {
  /** The npm package of the client, as warnings name it. */
  library: string;
  /** `gen_ai.provider.name` of a client of this family. */
  provider(client: any): string;
  methods: readonly MethodSpec[];
}
