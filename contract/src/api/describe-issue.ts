import type { $ZodError, $ZodIssue } from 'zod/v4/core';
import { describeValue } from './describe-value.js';
import { didYouMean } from './did-you-mean.js';

export interface InputDescription {
  /** The whole input, for when it is not even an object: `a ceiling`. */
  subject: string;
  /**
   * What each field should be, by path (`rpm`, `selector.key`, `severities[]`); its keys are also
   * the known field names a typo is matched against.
   */
  expected: Readonly<Record<string, string>>;
}

type Path = $ZodIssue['path'];

/**
 * `severities[1]`, `selector.key`: the field as the user wrote it; with `anyElement`,
 * `severities[]`, the key `expected` uses for every element of a list.
 */
function formatPath(path: Path, { anyElement = false } = {}): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return anyElement ? '[]' : `[${part}]`;
      return `${index ? '.' : ''}${String(part)}`;
    })
    .join('');
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function knownFields(parent: string, expected: InputDescription['expected']): string[] {
  const prefix = parent ? `${parent}.` : '';
  return Object.keys(expected)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length))
    .filter((name) => !/[.[]/.test(name));
}

/** One issue as one line that names the field, what it should be and what it was. */
function describeIssue(issue: $ZodIssue, input: unknown, description: InputDescription) {
  const { path } = issue;
  const key = formatPath(path, { anyElement: true });
  if (issue.code === 'unrecognized_keys') {
    const name = issue.keys[0]!;
    const suggestion = didYouMean(name, knownFields(key, description.expected));
    const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : '';
    return `Unknown field \`${formatPath([...path, name])}\`${hint}`;
  }
  if (path.length === 0) {
    return `Expected ${description.subject} to be an object, got ${describeValue(input)}`;
  }
  const field = formatPath(path);
  const expected = description.expected[key] ?? 'valid';
  const value = valueAt(input, path);
  if (value === undefined) return `Missing \`${field}\`: expected ${expected}`;
  const got = describeValue(value);
  if (issue.code === 'too_big' && issue.origin === 'string') {
    return `Expected \`${field}\` to be at most ${issue.maximum} characters, got ${got}`;
  }
  if (issue.code === 'too_big' && issue.origin === 'number') {
    return `Expected \`${field}\` to be at most ${issue.maximum}, got ${got}`;
  }
  if (issue.code === 'invalid_value' && typeof value === 'string') {
    const suggestion = didYouMean(value, issue.values.map(String));
    if (suggestion)
      return `Expected \`${field}\` to be ${expected}, got ${got} (did you mean \`${suggestion}\`?)`;
  }
  return `Expected \`${field}\` to be ${expected}, got ${got}`;
}

/**
 * The collector's answer to bad input: one issue of many, as one line. An unknown field first (a
 * typo there usually explains the rest: `kye: prod` also leaves `key` missing), else the first in
 * field order.
 */
export function describeFirstIssue(
  error: $ZodError,
  input: unknown,
  description: InputDescription,
): string {
  const issue = error.issues.find((item) => item.code === 'unrecognized_keys') ?? error.issues[0]!;
  return describeIssue(issue, input, description);
}

/**
 * Every wrong field's line, by path (`rpm`, `selector.key`, `severities[1]`): for each, the line
 * the collector answers with when it is the first wrong field. A form shows them beside its fields.
 */
export function describeIssuesByField(
  error: $ZodError,
  input: unknown,
  description: InputDescription,
): Record<string, string> {
  const lines: Record<string, string> = {};
  for (const issue of error.issues) {
    const field =
      issue.code === 'unrecognized_keys'
        ? formatPath([...issue.path, issue.keys[0]!])
        : formatPath(issue.path);
    lines[field] ??= describeIssue(issue, input, description);
  }
  return lines;
}
