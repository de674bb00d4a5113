import type { Context } from 'hono';
import type { Collector } from '../collector.js';
import { httpError } from '../http-error.js';
import { readBody } from '../middleware/read-body.js';
import { decodeMetrics, decodeTraces, encodeExportResponse, type Rejected } from '../otlp/index.js';

/**
 * OTLP/HTTP ingest (`POST /v1/metrics`, `POST /v1/traces`), protobuf or JSON, gzip or not. A
 * protobuf request gets a protobuf reply, as the OTLP specification asks; bad input gets a 400
 * with a one-line reason and changes nothing.
 */
export function otlpRoute(collector: Collector, kind: 'metrics' | 'traces', bodyLimit: number) {
  return async function otlp(c: Context) {
    const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/x-protobuf' && contentType !== 'application/json') {
      throw httpError(
        415,
        `content-type ${contentType || '(none)'} is not OTLP: send application/x-protobuf or application/json`,
      );
    }
    const body = await readBody(c, bodyLimit);
    let rejected: Rejected | undefined;
    if (kind === 'metrics') {
      const request = decodeMetrics(body, contentType);
      collector.view.ingestMetrics(request);
      rejected = request.rejected;
    } else {
      const request = decodeTraces(body, contentType);
      collector.view.ingestTraces(request);
      rejected = request.rejected;
    }
    const reply = encodeExportResponse(kind, rejected, contentType);
    return c.body(reply.body as never, 200, { 'content-type': reply.contentType });
  };
}
