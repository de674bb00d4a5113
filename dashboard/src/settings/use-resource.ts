import { useCallback, useEffect, useState } from 'react';
import type { Resource } from '../api/resource';

export interface ResourceState<T> {
  items: T[] | undefined;
  /** Why the list could not be loaded. */
  loadError: string | undefined;
  reload(): Promise<void>;
}

/** A CRUD list as the server has it: loaded on mount and again after every write. */
export function useResourceList<T extends { id: string }, Input>(
  resource: Resource<T, Input>,
): ResourceState<T> {
  const [items, setItems] = useState<T[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const reload = useCallback(async () => {
    try {
      setItems(await resource.list());
      setLoadError(undefined);
    } catch (error) {
      setLoadError((error as Error).message);
    }
  }, [resource]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, loadError, reload };
}
