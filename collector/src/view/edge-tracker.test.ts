import { describe, expect, it } from 'vitest';
import type { Span } from '../otlp/types.js';
import { EdgeTracker } from './edge-tracker.js';

function nodeSpan(trace: string, node: string, step: number): Span {
  return {
    traceId: trace.padEnd(32, '0'),
    spanId: `${node}${step}`.padEnd(16, '0'),
    name: `node ${node}`,
    kind: 'internal',
    startTime: 0,
    endTime: 0,
    attributes: {
      'headroom.graph.name': 'agent',
      'headroom.graph.node': node,
      'headroom.graph.step': step,
    },
    status: { code: 'unset' },
  };
}

describe('EdgeTracker', () => {
  it('counts each transition between supersteps once, whatever order the spans arrive in', () => {
    const tracker = new EdgeTracker();
    // Run 1: plan → 3 × work (a Send fan-out) → merge, spans arriving out of order over exports.
    for (const span of [
      nodeSpan('a', 'work', 2),
      nodeSpan('a', 'plan', 1),
      nodeSpan('a', 'work', 2),
      nodeSpan('a', 'merge', 3),
    ]) {
      tracker.add(span, 100);
    }
    // Run 2: plan → model → model (a loop back).
    for (const span of [
      nodeSpan('b', 'plan', 1),
      nodeSpan('b', 'model', 2),
      nodeSpan('b', 'model', 3),
    ])
      tracker.add(span, 101);
    expect(tracker.edges(101, 60)).toEqual([
      { graph: 'agent', from: 'model', to: 'model', count: 1 },
      { graph: 'agent', from: 'plan', to: 'model', count: 1 },
      { graph: 'agent', from: 'plan', to: 'work', count: 1 },
      { graph: 'agent', from: 'work', to: 'merge', count: 1 },
    ]);
    expect(tracker.edges(200, 60)).toEqual([]);
  });

  it('holds at most maxEdges: a new edge is dropped while the others are recent, and takes the place of one silent for 120 s', () => {
    const tracker = new EdgeTracker({ maxEdges: 1 });
    tracker.add(nodeSpan('a', 'plan', 1), 100);
    tracker.add(nodeSpan('a', 'work', 2), 100);
    tracker.add(nodeSpan('b', 'plan', 1), 150);
    tracker.add(nodeSpan('b', 'merge', 2), 150);
    expect(tracker.edges(150, 60)).toEqual([
      { graph: 'agent', from: 'plan', to: 'work', count: 1 },
    ]);
    expect(tracker.dropped).toBe(1);
    tracker.add(nodeSpan('c', 'plan', 1), 221);
    tracker.add(nodeSpan('c', 'merge', 2), 221);
    expect(tracker.edges(221, 60)).toEqual([
      { graph: 'agent', from: 'plan', to: 'merge', count: 1 },
    ]);
    expect(tracker.dropped).toBe(1);
    // The prune forgets an edge once its ring's 120 s have passed over its last transition.
    tracker.prune(340);
    expect(tracker.size).toBe(1);
    tracker.prune(341);
    expect(tracker.size).toBe(0);
  });
});
