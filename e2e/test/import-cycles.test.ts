// No package's source imports itself in a circle, not even through type-only imports: the
// layers (contract → core → adapters → entry points) stay layers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['sdk/src', 'collector/src', 'dashboard/src', 'contract/src'];
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** A relative specifier as TypeScript resolves it: `./x.js` is `./x.ts` or `./x.tsx`. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (existsSync(candidate)) return candidate;
  return undefined;
}

/** Every cycle's files, each cycle once, found by a depth-first walk. */
function importCycles(
  files: string[],
  read: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): string[][] {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = read(file);
    const targets = [...text.matchAll(SPECIFIER)]
      .map((match) => resolveSpecifier(file, match[1]!))
      .filter((target): target is string => target !== undefined);
    edges.set(file, targets);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of edges.get(file) ?? []) {
      if (state.get(target) === 'open') cycles.push(stack.slice(stack.indexOf(target)));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe('import cycles', () => {
  for (const source of SOURCES) {
    const directory = join(root, source);
    it.skipIf(!existsSync(directory))(`${source} has none`, () => {
      const cycles = importCycles(sourceFiles(directory)).map((cycle) =>
        cycle.map((file) => relative(directory, file)).join(' → '),
      );
      expect(cycles).toEqual([]);
    });
  }

  it('finds a cycle when there is one, through a type-only import too', () => {
    const directory = join(root, 'sdk/src');
    const files = sourceFiles(directory);
    // telemetry.ts imports call-state.ts; a call-state.ts that imported telemetry.ts back,
    // if only for a type, would close a cycle.
    const callState = files.find((file) => file.endsWith('internal/call-state.ts'))!;
    const read = (file: string) =>
      file === callState
        ? `import type { Telemetry } from './telemetry.js';\n${readFileSync(file, 'utf8')}`
        : readFileSync(file, 'utf8');
    const cycles = importCycles(files, read).map((cycle) =>
      cycle.map((file) => relative(directory, file)).sort(),
    );
    expect(cycles).toContainEqual(['internal/call-state.ts', 'internal/telemetry.ts']);
  });
});
