const api = require('@opentelemetry/api');
const OpenAI = require('openai').default;
const BODY = JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } });
const HEADERS = { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999' };
const fetchStub = async () => new Response(BODY, { status: 200, headers: HEADERS });
const { ExportResultCode } = require('@opentelemetry/core');
const { AggregationTemporality } = require('@opentelemetry/sdk-metrics');
const ok = (_i, done) => setImmediate(() => done({ code: ExportResultCode.SUCCESS }));
(async () => {
  const { init } = await import('@headroom/sdk');
  const headroom = init({ serviceName: 'b', collectorUrl: false,
    spanExporter: { export: ok, shutdown: async () => {}, forceFlush: async () => {} },
    metricExporter: { export: ok, shutdown: async () => {}, forceFlush: async () => {}, selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE },
    exportIntervalMillis: 500 });
  const mk = () => new OpenAI({ apiKey: 'sk', baseURL: 'http://bench.local/v1', fetch: fetchStub });
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say ok.' }] };
  const plain = mk(); const full = headroom.instrument(mk());
  const t = headroom.telemetry;
  const realTracer = t.lifecycle.tracer;
  const noop = api.trace.wrapSpanContext(api.INVALID_SPAN_CONTEXT);
  const noopTracer = { startSpan: () => api.trace.wrapSpanContext(api.INVALID_SPAN_CONTEXT) };
  const hub = t.store.histogram; // factory
  const block = async (c, n, setup) => { setup?.(); const s = process.cpuUsage(); for (let i = 0; i < n; i++) await c.chat.completions.create(body); const u = process.cpuUsage(s); return (u.user + u.system) / n; };
  const variants = {
    plain: [plain, () => { t.lifecycle.tracer = realTracer; }],
    full: [full, () => { t.lifecycle.tracer = realTracer; }],
    nospans: [full, () => { t.lifecycle.tracer = noopTracer; }],
  };
  const res = {}; for (const k in variants) res[k] = [];
  for (let r = 0; r < 12; r++) for (const [k, [c, s]] of Object.entries(variants)) res[k].push(await block(c, 2000, s));
  const med = a => a.sort((x, y) => x - y)[a.length >> 1];
  for (const k in res) console.log(k, med(res[k]).toFixed(1), (med(res[k]) - med(res.plain)).toFixed(1));
  await headroom.shutdown();
})();
