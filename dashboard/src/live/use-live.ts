import { createContext, useContext, useSyncExternalStore } from 'react';
import type { LiveState, LiveStore } from './live-store';

export const LiveStoreContext = createContext<LiveStore | undefined>(undefined);

export function useLiveStore(): LiveStore {
  const store = useContext(LiveStoreContext);
  if (store === undefined) throw new Error('useLiveStore needs a <LiveStoreContext value={store}>');
  return store;
}

/** The live state; the component renders again at most once per animation frame. */
export function useLiveState(): Readonly<LiveState> {
  const store = useLiveStore();
  return useSyncExternalStore(store.subscribe, store.getState);
}
