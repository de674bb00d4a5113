/**
 * One bad request of the corpus, sent over a real socket. `status` is the exact answer; `error`,
 * when given, is a part of the one-line reason it must contain. The collector makes the body of
 * every answer except those of `raw` cases, which Node's HTTP parser answers before any route.
 */
export interface BadRequest {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  status: number;
  error?: string;
  /**
   * Sent with `transfer-encoding: chunked`, `chunk` bytes at a time up to `total`, honouring
   * backpressure: the answer must come before the whole body has been sent.
   */
  stream?: { chunk: number; total: number };
  /** Written as is to a fresh TCP connection; only the status line is checked. */
  raw?: string;
}

export const JSON_TYPE = { 'content-type': 'application/json' };
export const PROTOBUF_TYPE = { 'content-type': 'application/x-protobuf' };

/** A POST of `body` to `path` labelled `headers` (JSON by default). */
export function post(
  name: string,
  path: string,
  body: Uint8Array | string,
  status: number,
  error?: string,
  headers: Record<string, string> = JSON_TYPE,
): BadRequest {
  return { name, method: 'POST', path, headers, body, status, ...(error && { error }) };
}

/** `value` with the member at `path` (keys and indices) replaced by `replacement`. */
export function replaced(value: unknown, path: readonly (string | number)[], replacement: unknown) {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const part of path.slice(0, -1)) parent = parent[part] as typeof parent;
  parent[path.at(-1)!] = replacement;
  return copy;
}

/** How a JSON value is shown in a case name. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}
