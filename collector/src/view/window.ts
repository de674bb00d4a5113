/** Seconds of the sliding window every rate in the view is taken over. */
export const WINDOW_SECONDS = 60;
