import type { Rule } from '../storage/types.js';

/** `key="prod"`, … for the literal fields; `*` and absent ones match anything, so none. */
export function literalMatchers(fields: Record<string, string | undefined>): string[] {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '*')
    .map(([label, value]) => `${label}="${escapeLabel(value)}"`);
}

/** A rule's selector on `labels`, as matchers. */
export function selectorMatchers(
  rule: Rule,
  labels: Array<'key' | 'provider' | 'model' | 'graph' | 'node'>,
): string[] {
  return literalMatchers(Object.fromEntries(labels.map((label) => [label, rule.selector[label]])));
}

/** `{a,b}`, or nothing for no matchers. */
export function braced(matchers: readonly string[]): string {
  return matchers.length === 0 ? '' : `{${matchers.join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
