export { type BackoffOptions, withBackoff } from './backoff.js';
export { type Provider, provider } from './provider.js';
export { type RoundContext, runExample } from './run-example.js';
export { semaphore } from './semaphore.js';
export { durationSeconds, headroomFor, onStop, say, sleep } from './setup.js';
export { TOUR, type TourPhase } from './tour.js';
