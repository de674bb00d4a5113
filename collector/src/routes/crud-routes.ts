import { Hono } from 'hono';
import { httpError } from '../http-error.js';
import { invalidUtf8At, strictUtf8 } from '../otlp/utf8.js';

/** What a CRUD resource needs: its store operations and its input parser. */
export interface Resource<T extends { id: string }> {
  /** Singular name for messages, e.g. `ceiling`. */
  name: string;
  list(): T[];
  get(id: string): T | undefined;
  put(value: T): T;
  delete(id: string): boolean;
  /**
   * Validates input (throws a one-line error) and returns the value to store. `id` and `stored`
   * are those of `PUT /:id`: the id it is put under and what is stored there now, if anything.
   */
  parse(input: unknown, id: string | undefined, stored: T | undefined): T;
  /** What the API shows of a stored value (a webhook's URL is a secret); by default all of it. */
  present?(value: T): unknown;
  /** Called after every change, e.g. to refresh caches. */
  changed?(): void;
}

/**
 * `GET /`, `POST /`, `GET /:id`, `PUT /:id`, `DELETE /:id` for one resource. POST only creates
 * (an id that exists is a 409), PUT creates or replaces (RFC 9110 §9.3.3, §9.3.4). A write
 * answers only after the store has it on disk, so what the API acknowledged survives a crash.
 */
export function crudRoutes<T extends { id: string }>(resource: Resource<T>): Hono {
  const app = new Hono();
  const present = resource.present ?? ((value: T) => value);
  app.get('/', (c) => c.json(resource.list().map(present)));
  app.get('/:id', (c) => {
    const value = resource.get(c.req.param('id'));
    if (value === undefined)
      throw httpError(404, `no ${resource.name} with id ${JSON.stringify(c.req.param('id'))}`);
    return c.json(present(value));
  });
  app.post('/', async (c) => {
    const input = await jsonBody(c.req.raw);
    const parsed = resource.parse(input, undefined, undefined);
    // No await between this check and the put: nothing else can take the id in between.
    if (resource.get(parsed.id) !== undefined) {
      throw httpError(
        409,
        `a ${resource.name} with id ${JSON.stringify(parsed.id)} exists; POST only creates, PUT to its id replaces it`,
      );
    }
    const value = resource.put(parsed);
    resource.changed?.();
    return c.json(present(value), 201);
  });
  app.put('/:id', async (c) => {
    const input = await jsonBody(c.req.raw);
    const id = c.req.param('id');
    const value = resource.put(resource.parse(input, id, resource.get(id)));
    resource.changed?.();
    return c.json(present(value));
  });
  app.delete('/:id', (c) => {
    if (!resource.delete(c.req.param('id')))
      throw httpError(404, `no ${resource.name} with id ${JSON.stringify(c.req.param('id'))}`);
    resource.changed?.();
    return c.body(null, 204);
  });
  return app;
}

/** The request body as JSON, or a 400 that says why not. */
async function jsonBody(request: Request): Promise<unknown> {
  // The app's body limit has already bounded it.
  const bytes = new Uint8Array(await request.arrayBuffer());
  // request.text() would store U+FFFD in place of the bad bytes and answer 201.
  const text = strictUtf8(bytes);
  if (text === undefined)
    throw httpError(400, `body is not valid UTF-8 (byte ${invalidUtf8At(bytes)})`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw httpError(400, `body is not JSON: ${(error as Error).message}`);
  }
}
