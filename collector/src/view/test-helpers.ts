import type {
  Attributes,
  Metric,
  MetricsRequest,
  NumberPoint,
  Temporality,
} from '../otlp/types.js';

/** A fake clock the tests move by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
  let time = start;
  return {
    now: () => time,
    advance(milliseconds: number) {
      time += milliseconds;
    },
  };
}

export const OPENAI_KEY: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'headroom.key': 'prod',
};

export function point(
  attributes: Attributes,
  value: number,
  startTime: number,
  time = startTime + 500,
): NumberPoint {
  return { attributes, startTime, time, value };
}

export function sum(
  name: string,
  points: NumberPoint[],
  temporality: Temporality = 'cumulative',
  monotonic = true,
): Metric {
  return { name, unit: '', description: '', kind: 'sum', temporality, monotonic, points };
}

export function gauge(name: string, points: NumberPoint[]): Metric {
  return { name, unit: '', description: '', kind: 'gauge', points };
}

/** One export of one replica. */
export function replicaExport(
  instance: string,
  metrics: Metric[],
  service = 'agent',
): MetricsRequest {
  return {
    resourceMetrics: [
      {
        resource: { 'service.name': service, 'service.instance.id': instance },
        scopes: [{ scope: { name: '@headroom/sdk' }, metrics }],
      },
    ],
  };
}
