export interface ParseOptions {
  /** The id the value is put under (e.g. from `PUT /api/ceilings/:id`); a different `id` in the value is an error. */
  id?: string;
  /** Becomes `updatedAt`. */
  now: number;
}
