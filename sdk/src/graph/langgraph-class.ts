import { isWrapped, mark } from '../clients/patch-client.js';
import { reportFault } from '../internal/fault.js';
import type { Telemetry } from '../internal/telemetry.js';
import { instrumentCompiledGraph } from './langgraph.js';

/** The name a compiled graph is known by: `compile({ name })`, else `graph`. */
export function graphName(graph: any): string {
  const name = typeof graph?.getName === 'function' ? graph.getName() : graph?.name;
  return typeof name === 'string' && name !== '' ? name : 'graph';
}

/** Patches `StateGraph.prototype.compile` so that every graph the app compiles is instrumented. */
export function patchStateGraphClass(StateGraph: any, telemetry: Telemetry): () => void {
  const prototype = StateGraph?.prototype;
  const original = prototype?.compile;
  if (typeof original !== 'function' || isWrapped(original)) return () => {};
  prototype.compile = mark(function compile(this: unknown, ...args: unknown[]) {
    const compiled = original.apply(this, args);
    try {
      instrumentCompiledGraph(compiled, telemetry, graphName(compiled));
    } catch (error) {
      reportFault('instrument graph', error);
    }
    return compiled;
  }, original);
  return () => {
    prototype.compile = original;
  };
}
