/** A refusal from the collector: its status and the one-line reason it gave. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * JSON in and out of the collector's API. Paths are relative (`api/ceilings`) so the page works
 * at `/` behind the collector and through Vite's proxy alike. A 4xx or 5xx throws `ApiError`
 * with the server's `{"error": "..."}` line, or the status text when the body has none.
 */
export async function requestJson<T>(
  path: string,
  {
    method = 'GET',
    body,
    fetch = globalThis.fetch,
  }: { method?: string; body?: unknown; fetch?: Fetch } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError(0, `The collector did not answer (${(error as Error).message})`);
  }
  if (!response.ok) throw new ApiError(response.status, await errorLine(response));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function errorLine(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string' && body.error !== '') return body.error;
  } catch {
    // Not JSON (a proxy's error page): fall back to the status.
  }
  return `${response.status} ${response.statusText || 'error'}`.trim();
}
