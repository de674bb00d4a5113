import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMetrics, decodeTraces } from '../src/otlp/index.js';
import { type RunningCollector, startCollector } from '../src/start-collector.js';
import { type BadRequest, badInputCorpus, realExports, VALID } from './bad-input-corpus/index.js';
import { resources } from './helpers.js';

const corpus = await badInputCorpus();
const open = resources();
let running: RunningCollector;
let before: unknown;

interface Answer {
  status: number;
  contentType: string;
  body: string;
  /** Bytes of a streamed body written when the answer came. */
  sent?: number;
}

/** Sends `request` on a connection of its own, so no case can leave a socket for the next. */
function send(request: BadRequest): Promise<Answer> {
  if (request.raw !== undefined) return sendRaw(request.raw);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({
      host: '127.0.0.1',
      port: running.port,
      method: request.method ?? 'GET',
      path: request.path,
      headers: {
        // Kept alive, the server reads on (and discards) what a refused body still sends; with
        // `close` it shuts the socket after its answer, and a write still in flight fails with
        // EPIPE, sometimes before the answer has been read.
        connection: 'keep-alive',
        // Node's client sends a DELETE's body without framing it unless told its length.
        ...(request.body !== undefined && { 'content-length': Buffer.byteLength(request.body) }),
        ...(request.stream && { 'transfer-encoding': 'chunked' }),
        ...request.headers,
      },
      agent: false,
    });
    let sent = 0;
    let answered = false;
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    outgoing.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        outgoing.destroy();
        resolve({
          status: response.statusCode!,
          contentType: response.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString(),
          ...(request.stream && { sent }),
        });
      });
    });
    if (!request.stream) {
      outgoing.end(request.body);
      return;
    }
    const { chunk, total } = request.stream;
    const bytes = Buffer.alloc(chunk, 32);
    // Backpressure keeps what is in flight to the socket buffers, so `sent` says how far the
    // collector had read when it answered.
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk;
        if (!outgoing.write(bytes)) {
          outgoing.once('drain', pump);
          return;
        }
      }
      if (!answered) outgoing.end();
    };
    pump();
  });
}

/** Writes `text` to a fresh TCP connection and reads the status line of the answer. */
function sendRaw(text: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(running.port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('error', reject);
    socket.on('data', (data) => {
      received += data.toString('latin1');
      const line = /^HTTP\/1\.1 (\d{3}) /.exec(received);
      if (line === null) return;
      socket.destroy();
      resolve({ status: Number(line[1]), contentType: '', body: '' });
    });
    socket.on('end', () => reject(new Error(`connection closed without an answer: ${received}`)));
  });
}

const get = async (path: string) => {
  const answer = await send({ name: path, path, status: 200 });
  expect(answer.status, path).toBe(200);
  return JSON.parse(answer.body);
};
const state = async () => ({
  ceilings: await get('/api/ceilings'),
  rules: await get('/api/rules'),
  webhooks: await get('/api/webhooks'),
});

beforeAll(async () => {
  running = await startCollector({ port: 0, data: open.directory() });
  open.add(() => running.close());
  // What the PUT, DELETE and cross-site cases aim at; accepted, so the cases' bodies differ
  // from a valid one only where they say.
  for (const [resource, body] of Object.entries(VALID)) {
    const path = `/api/${resource}/corpus-${resource.slice(0, -1)}`;
    const answer = await send({
      name: path,
      method: 'PUT',
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      status: 200,
    });
    expect({ path, status: answer.status }).toEqual({ path, status: 200 });
  }
  before = await state();
});
afterAll(() => open.close());

describe('the corpus', () => {
  it('holds at least 200 cases, each named once', () => {
    const names = Object.values(corpus).flatMap((cases) => cases.map((entry) => entry.name));
    expect(names.length).toBeGreaterThanOrEqual(200);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('mutates real exports that are themselves accepted', async () => {
    const real = await realExports();
    expect(() => decodeMetrics(real.metricsJson, 'application/json')).not.toThrow();
    expect(() => decodeMetrics(real.metricsProtobuf, 'application/x-protobuf')).not.toThrow();
    expect(() => decodeTraces(real.tracesJson, 'application/json')).not.toThrow();
    expect(() => decodeTraces(real.tracesProtobuf, 'application/x-protobuf')).not.toThrow();
  });
});

for (const [group, cases] of Object.entries(corpus)) {
  describe(group, () => {
    it.each(cases.map((entry) => [entry.name, entry] as const))('%s', async (_, request) => {
      const answer = await send(request);
      expect(answer.status).toBe(request.status);
      if (request.stream) expect(answer.sent).toBeLessThan(request.stream.total);
      if (request.raw === undefined) {
        expect(answer.contentType).toMatch(/^application\/json/);
        const body = JSON.parse(answer.body);
        expect(Object.keys(body)).toEqual(['error']);
        expect(body.error).toMatch(/^[^\n]+$/);
        if (request.error !== undefined) expect(body.error).toContain(request.error);
      }
      expect((await send({ name: 'healthz', path: '/healthz', status: 200 })).status).toBe(200);
    });
  });
}

describe('after the corpus', () => {
  it('nothing was ingested and the configuration is as it was', async () => {
    const health = await get('/healthz');
    expect({ points: health.points, spans: health.spans }).toEqual({ points: 0, spans: 0 });
    expect((await get('/api/snapshot')).keys).toEqual([]);
    expect(await state()).toEqual(before);
  });
});
