import { type Fetch, requestJson } from './client';

/** The four calls of one CRUD resource of the collector (`api/ceilings`, `api/rules`, ...). */
export interface Resource<T extends { id: string }, Input> {
  list(): Promise<T[]>;
  create(input: Input): Promise<T>;
  update(id: string, input: Input): Promise<T>;
  remove(id: string): Promise<void>;
}

export function resource<T extends { id: string }, Input>(
  path: string,
  fetch?: Fetch,
): Resource<T, Input> {
  const options = fetch === undefined ? {} : { fetch };
  const item = (id: string) => `${path}/${encodeURIComponent(id)}`;
  return {
    list: () => requestJson<T[]>(path, options),
    create: (input) => requestJson<T>(path, { ...options, method: 'POST', body: input }),
    update: (id, input) => requestJson<T>(item(id), { ...options, method: 'PUT', body: input }),
    remove: (id) => requestJson<void>(item(id), { ...options, method: 'DELETE' }),
  };
}
