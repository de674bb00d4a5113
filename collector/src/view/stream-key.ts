import type { Attributes } from '../otlp/types.js';

/**
 * The contract's names, which every stream id repeats: each is written as two characters in
 * ids (U+0002 and a letter), which makes a Headroom stream id about half as long. Counter
 * streams and per-replica levels are held per stream, so at 50,000 series this is most of the
 * view's memory in strings. U+0002 never occurs in a name the SDK or OpenTelemetry writes.
 */
const CONTRACT_NAMES = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'gen_ai.system',
  'gen_ai.token.type',
  'error.type',
  'server.address',
  'server.port',
  'headroom.key',
  'headroom.tenant',
  'headroom.outcome',
  'headroom.graph.name',
  'headroom.graph.node',
  'headroom.graph.recursion_limit',
  'headroom.ratelimit.dimension',
  'headroom.requests',
  'headroom.calls',
  'headroom.tokens',
  'headroom.guard.admitted',
  'headroom.guard.delayed',
  'headroom.guard.rejected',
  'headroom.guard.wait',
  'headroom.graph.node.executions',
  'headroom.graph.node.executions_per_run',
  'headroom.graph.run.steps',
  'gen_ai.client.operation.duration',
  'gen_ai.client.token.usage',
  'gen_ai.client.inference.duration',
  'gen_ai.client.inference.usage.input_tokens',
  'gen_ai.client.inference.usage.output_tokens',
];
const SHORT_NAMES = new Map(
  CONTRACT_NAMES.map((name, index) => [name, `\u0002${String.fromCharCode(0x41 + index)}`]),
);

/** `name` as stream ids write it: two characters for the contract's names, else itself. */
export function shortName(name: string): string {
  return SHORT_NAMES.get(name) ?? name;
}

/** A stable identity for an attribute set, whatever order the sender wrote it in. */
export function streamKey(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length > 1) keys.sort();
  let id = '';
  for (const key of keys) {
    const value = attributes[key];
    id += `${shortName(key)}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}\u0001`;
  }
  return id;
}
