/**
 * OTLP data as the collector works with it, whichever encoding it arrived in (JSON or protobuf):
 * attributes flattened to plain values, 64-bit integers as numbers, times in milliseconds since
 * the epoch (sub-millisecond precision is of no use to one-second windows).
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface Scope {
  name: string;
  version?: string;
}

export type Temporality = 'cumulative' | 'delta' | 'unspecified';

export interface NumberPoint {
  attributes: Attributes;
  /** ms since the epoch; 0 when the sender left it unset. */
  startTime: number;
  time: number;
  value: number;
}

export interface HistogramPoint {
  attributes: Attributes;
  startTime: number;
  time: number;
  count: number;
  sum?: number;
  min?: number;
  max?: number;
  /** Explicit-bucket histograms: counts has one more entry than bounds. */
  bucketCounts: number[];
  explicitBounds: number[];
}

export type Metric =
  | { name: string; unit: string; description: string; kind: 'gauge'; points: NumberPoint[] }
  | {
      name: string;
      unit: string;
      description: string;
      kind: 'sum';
      temporality: Temporality;
      monotonic: boolean;
      points: NumberPoint[];
    }
  | {
      name: string;
      unit: string;
      description: string;
      kind: 'histogram';
      temporality: Temporality;
      points: HistogramPoint[];
    };

export interface ResourceMetrics {
  resource: Attributes;
  scopes: Array<{ scope: Scope; metrics: Metric[] }>;
}

export interface MetricsRequest {
  resourceMetrics: ResourceMetrics[];
}

export type SpanKindName =
  | 'unspecified'
  | 'internal'
  | 'server'
  | 'client'
  | 'producer'
  | 'consumer';

export interface Span {
  /** Lowercase hex, 32 characters. */
  traceId: string;
  /** Lowercase hex, 16 characters. */
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKindName;
  startTime: number;
  endTime: number;
  attributes: Attributes;
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
}

export interface ResourceSpans {
  resource: Attributes;
  scopes: Array<{ scope: Scope; spans: Span[] }>;
}

export interface TracesRequest {
  resourceSpans: ResourceSpans[];
}

/** Points and spans that were dropped, for the OTLP partial-success reply. */
export interface Rejected {
  count: number;
  message: string;
}
