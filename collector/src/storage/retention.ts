const DAY = 24 * 60 * 60 * 1000;

/** How long alert history is kept: long enough to look back over a month of incidents. */
export const TRANSITION_RETENTION_MS = 30 * DAY;

/** How long 1-minute rollups are kept: a week shows the weekly traffic pattern. */
export const ROLLUP_RETENTION_MS = 7 * DAY;
