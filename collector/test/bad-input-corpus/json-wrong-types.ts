import { type BadRequest, post, replaced, shown } from './case.js';

/**
 * What the OTLP/JSON decoders read, field by field (opentelemetry/proto, proto3 JSON mapping).
 * Members they do not read (`droppedAttributesCount`, span events and links) are left out: any
 * value is accepted there.
 */
type Scalar = 'string' | 'integer' | 'double' | 'boolean' | 'time' | 'enum';
type Schema = Scalar | { fields: Record<string, Schema> } | { items: Schema };

/** Values of every other JSON type, for a member of each kind. null is "unset" in proto3 JSON. */
const WRONG: Record<Scalar | 'object' | 'array', unknown[]> = {
  object: ['x', 5, true, []],
  array: ['x', 5, true, {}],
  string: [5, true, [], {}],
  integer: ['ten', 1.5, true, [], {}],
  double: ['ten', true, [], {}],
  boolean: ['true', 1, [], {}],
  time: ['soon', 1.5, true, [], {}],
  enum: [99, 'BOGUS', true, [], {}],
};

// An AnyValue holds arrays of AnyValues and lists of KeyValues: filled in once it exists.
const anyValue: { fields: Record<string, Schema> } = { fields: {} };
const keyValue: Schema = { fields: { key: 'string', value: anyValue } };
Object.assign(anyValue.fields, {
  stringValue: 'string',
  intValue: 'integer',
  doubleValue: 'double',
  boolValue: 'boolean',
  arrayValue: { fields: { values: { items: anyValue } } },
  kvlistValue: { fields: { values: { items: keyValue } } },
  bytesValue: 'string',
});
const attributes: Schema = { items: keyValue };
const resource: Schema = { fields: { attributes } };
const scope: Schema = { fields: { name: 'string', version: 'string' } };
const times = { startTimeUnixNano: 'time', timeUnixNano: 'time' } as const;
const numberData: Schema = {
  fields: {
    aggregationTemporality: 'enum',
    isMonotonic: 'boolean',
    dataPoints: {
      items: {
        fields: { attributes, ...times, asDouble: 'double', asInt: 'integer', flags: 'integer' },
      },
    },
  },
};
const histogramData: Schema = {
  fields: {
    aggregationTemporality: 'enum',
    dataPoints: {
      items: {
        fields: {
          attributes,
          ...times,
          count: 'integer',
          sum: 'double',
          min: 'double',
          max: 'double',
          flags: 'integer',
          bucketCounts: { items: 'integer' },
          explicitBounds: { items: 'double' },
        },
      },
    },
  },
};
export const METRICS_SCHEMA: Schema = {
  fields: {
    resourceMetrics: {
      items: {
        fields: {
          resource,
          scopeMetrics: {
            items: {
              fields: {
                scope,
                metrics: {
                  items: {
                    fields: {
                      name: 'string',
                      unit: 'string',
                      description: 'string',
                      gauge: numberData,
                      sum: numberData,
                      histogram: histogramData,
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
export const TRACES_SCHEMA: Schema = {
  fields: {
    resourceSpans: {
      items: {
        fields: {
          resource,
          scopeSpans: {
            items: {
              fields: {
                scope,
                spans: {
                  items: {
                    fields: {
                      traceId: 'string',
                      spanId: 'string',
                      parentSpanId: 'string',
                      name: 'string',
                      kind: 'enum',
                      startTimeUnixNano: 'time',
                      endTimeUnixNano: 'time',
                      attributes,
                      status: { fields: { code: 'enum', message: 'string' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

/**
 * Every member of a real export that the decoder reads, replaced in turn by each value of a wrong
 * JSON type. Where the same member recurs (every point, every attribute of a point) only its
 * first occurrence is used: the rest would repeat a case.
 */
export function wrongTypes(path: string, base: unknown, schema: Schema): BadRequest[] {
  const cases: BadRequest[] = [];
  const seen = new Set<string>();
  const visit = (value: unknown, at: Schema, trail: (string | number)[]) => {
    if (typeof at === 'string') return;
    if ('items' in at) {
      if (!Array.isArray(value)) return;
      value.forEach((item, index) => {
        add([...trail, index], typeof at.items === 'string' ? at.items : kindOf(at.items));
        visit(item, at.items, [...trail, index]);
      });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, member] of Object.entries(value)) {
      const field = at.fields[key];
      if (field === undefined) continue;
      add([...trail, key], typeof field === 'string' ? field : kindOf(field));
      visit(member, field, [...trail, key]);
    }
  };
  const add = (trail: (string | number)[], kind: keyof typeof WRONG) => {
    const label = signature(trail);
    if (seen.has(label)) return;
    seen.add(label);
    // A member is named in the error (`asInt must be an integer`); an element by its array's
    // singular (`data point must be an object`), so only `must be` is checked for one.
    const last = trail.at(-1)!;
    const named = typeof last === 'string' ? last : 'must be';
    for (const wrong of WRONG[kind]) {
      cases.push(
        post(
          `${path} ${label} = ${shown(wrong)}`,
          path,
          JSON.stringify(replaced(base, trail, wrong)),
          400,
          named,
        ),
      );
    }
  };
  visit(base, schema, []);
  return cases;
}

function kindOf(schema: Exclude<Schema, Scalar>): 'object' | 'array' {
  return 'items' in schema ? 'array' : 'object';
}

/**
 * A member's path without indices, and inside attributes only from the owner of the attributes
 * on (`dataPoints[].attributes[].value.intValue`): attributes decode alike on every point.
 */
function signature(trail: (string | number)[]): string {
  const parts = trail.map((part) => (typeof part === 'number' ? '[]' : `.${part}`));
  const first = trail.indexOf('attributes');
  const from = first > 0 ? first - 1 - (typeof trail[first - 1] === 'number' ? 1 : 0) : 0;
  return parts.slice(from).join('').replace(/^\./, '');
}
