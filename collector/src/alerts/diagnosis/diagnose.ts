import type { Snapshot } from '../../view/snapshot.js';
import { batchTooLarge } from './batch-too-large.js';
import { fanOut } from './fan-out.js';
import { findSuspects } from './find-suspects.js';
import { graphLoop } from './graph-loop.js';
import { noPattern } from './no-pattern.js';
import { sharedKey } from './shared-key.js';
import { stackedRetries } from './stacked-retries.js';
import type { Cause, Diagnosis, Finding, Suspects } from './types.js';

/** In this order ties are broken: a fan-out also makes spikes, retries and long runs, so it explains most. */
const FINDERS: Array<(suspects: Suspects) => Finding | undefined> = [
  fanOut,
  stackedRetries,
  graphLoop,
  batchTooLarge,
  sharedKey,
];

/**
 * Which of the five causes fits the alert's series best.
 *
 * Scoring: each cause has triggers (a signal and the value past which the pattern is there);
 * its score is its strongest signal divided by that signal's trigger, so 1 is "just there" and
 * 3 is "three times past". Causes with no signal past its trigger drop out. The highest score
 * wins, ties go to the order above, and every other cause still in is an alternative, strongest
 * first. With none in, the cause is `none`. The triggers:
 *
 * - fan_out (unless the key shows batches): a node's or the key's burst (calls started in one
 *   second, counted only as far as they were in flight together) past rpm/60 clamped to 3..10
 *   (10 with no rpm ceiling); the key's burst must also be 3× its mean rate over the seconds
 *   seen (at least 3); a node's executions side by side ≥ 10; the key's peak in flight ≥ 10, or
 *   the concurrency ceiling if lower, per attempt when the calls retry (attempts per call > 1.5:
 *   a retrying call stays in flight through its backoffs). Every signal is discounted by the
 *   share of calls that repeat an identical one (the app retrying), which inflate both bursts
 *   and in flight.
 * - stacked_retries: HTTP attempts per call the app asked for > 1.5 (the logical calls started,
 *   less the app's repeats of identical calls; `headroom.retries` says which layers retried).
 * - graph_loop: a node's executions in one run > 10; a graph's steps in one run ≥ 0.8 × its
 *   recursion limit.
 * - batch_too_large: the key's call starts are a regular train of bursts (at least 3 bursts of
 *   ±30 % the same size at ±50 % the same period, each at least the fan-out burst trigger and in
 *   flight together, no sustained run), whether each batch goes out as the last is done or after
 *   a pause. Scored on the batch size against the burst trigger; a fan-out is not scored on the
 *   same evidence.
 * - shared_key: ≥ 2 replicas, together ≥ 0.8 × the rpm or tpm ceiling, or their busiest second
 *   ≥ 0.8 × rpm/60, while the busiest replica alone is under 0.8 × the same; or ≥ 2 key names
 *   on one budget (`KeyView.budget`), together ≥ 0.8 × the rpm or tpm ceiling while the
 *   busiest key alone is under it (each key's rate over the seconds it has been seen).
 *
 * Pure: the same snapshot and series give the same diagnosis.
 */
export function diagnose(snapshot: Snapshot, series: string): Diagnosis {
  const assessment = assess(snapshot, series);
  return diagnosisOf(assessment, series, assessment.findings[0]?.cause ?? 'none');
}

/** Every cause whose evidence is there for the series, strongest first (ties in FINDERS order). */
export interface Assessment {
  findings: Finding[];
  suspects: Suspects | undefined;
}

export function assess(snapshot: Snapshot, series: string): Assessment {
  const suspects = findSuspects(snapshot, series);
  if (suspects === undefined) return { findings: [], suspects };
  // A guarded key the provider refuses nothing is judged on what reaches the provider: the
  // guard absorbs the fan-out, batches and retries, so no pattern is to blame.
  const key = suspects.key;
  if (key?.guard !== undefined && key.rateLimitedPerMinute === 0) return { findings: [], suspects };
  const findings = FINDERS.map((find) => find(suspects))
    .filter((finding) => finding !== undefined)
    // Array#sort is stable, so equal scores keep the FINDERS order.
    .sort((a, b) => b.score - a.score);
  return { findings, suspects };
}

/**
 * The diagnosis that names `cause`, with the assessment's evidence for it and the other causes
 * present as alternatives. A cause whose evidence is not there now gets the no-pattern numbers.
 */
export function diagnosisOf(
  assessment: Assessment,
  series: string,
  cause: Cause | 'none',
): Diagnosis {
  const finding = assessment.findings.find((candidate) => candidate.cause === cause);
  if (finding === undefined) return noPattern(series, assessment.suspects);
  const { score: _score, ...diagnosis } = finding;
  return {
    ...diagnosis,
    alternatives: assessment.findings
      .filter((other) => other !== finding)
      .map((other) => other.cause),
  };
}
