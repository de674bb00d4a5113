import type { ActiveAlert, AlertTransition } from '@headroom/contract';

export type { ActiveAlert } from '@headroom/contract';

/** A transition as the engine emits it; the store assigns the `sequence`. */
export type TransitionDraft = Omit<AlertTransition, 'sequence'>;

export interface Evaluation {
  /** In the order they happened; pending and firing of one alert may share an evaluation. */
  transitions: TransitionDraft[];
  /** Sorted by rule id, then series. */
  active: ActiveAlert[];
}
