export { AlertEngine } from './alert-engine.js';
export { diagnose } from './diagnosis/diagnose.js';
export type { Cause, Diagnosis, Fix } from './diagnosis/types.js';
export {
  type IncidentNotice,
  IncidentNotices,
  type NoticeReason,
} from './incidents/incident-notices.js';
export { IncidentTracker, type IncidentUpdate } from './incidents/incident-tracker.js';
export { dimensionSeries, keySeries, nodeSeries } from './series-id.js';
export type { ActiveAlert, Evaluation, TransitionDraft } from './types.js';
export { WebhookNotifier, type WebhookNotifierOptions } from './webhooks/webhook-notifier.js';
