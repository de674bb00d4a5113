import type { CeilingValue, Dimension } from '@headroom/contract/wire';
import { useId } from 'react';
import { DIMENSION_LABEL, formatNumber, headroomPhrase, levelOf } from '../format/format';

/** The KeyView field each dimension's use is, as `data-metric` names it. */
export const USE_METRIC: Readonly<Record<Dimension, string>> = {
  rpm: 'requestsPerMinute',
  tpm: 'tokensPerMinute',
  concurrency: 'activeAtProvider',
};

/**
 * Use against one ceiling: `RPM 420 / 500 · 16 % headroom` as text, and a bar of the share used
 * with the warning band (80–95 %) marked. Without a ceiling: `RPM 420 · no ceiling`. Each number
 * carries its raw value (`data-metric`, `data-value`).
 */
export function HeadroomMeter({
  dimension,
  use,
  ceiling,
  utilization,
  refused,
}: {
  dimension: Dimension;
  use: number;
  ceiling: CeilingValue | undefined;
  utilization: number | undefined;
  /** Of `use`, the requests the provider refused (429s), shown apart from those it admitted. */
  refused?: number;
}) {
  const textId = useId();
  const label = DIMENSION_LABEL[dimension];
  const known = ceiling !== undefined && utilization !== undefined;
  const level = known ? levelOf(utilization) : 'none';
  return (
    <div
      className={`meter meter-${level}`}
      data-testid="headroom"
      data-dimension={dimension}
      data-level={level}
    >
      <p className="meter-text">
        <span id={textId} data-testid="headroom-text">
          <span data-metric={USE_METRIC[dimension]} data-value={JSON.stringify(use)}>
            {label} {formatNumber(use)}
          </span>
          {known ? (
            <>
              {' / '}
              <span
                data-metric={`ceilings.${dimension}`}
                data-value={JSON.stringify(ceiling.value)}
                data-source={ceiling.source}
              >
                {formatNumber(ceiling.value)}
              </span>
              {' · '}
              <span
                data-metric={`utilization.${dimension}`}
                data-value={JSON.stringify(utilization)}
              >
                {headroomPhrase(utilization)}
              </span>
            </>
          ) : (
            <>
              {' · '}
              <span
                data-metric={`ceilings.${dimension}`}
                data-value={JSON.stringify(ceiling?.value ?? null)}
                data-source={ceiling?.source ?? ''}
              >
                no ceiling
              </span>
              <span
                data-metric={`utilization.${dimension}`}
                data-value={JSON.stringify(utilization ?? null)}
              />
            </>
          )}
        </span>
        {ceiling !== undefined && ' '}
        {ceiling !== undefined && (
          <span
            className={`tag tag-${ceiling.source}`}
            data-testid="ceiling-source"
            title={
              ceiling.source === 'learned'
                ? "Learned from the provider's rate-limit headers"
                : 'Configured in Headroom'
            }
          >
            {ceiling.source}
          </span>
        )}
        {(level === 'warning' || level === 'critical') && (
          <>
            {' '}
            <span className={`tag tag-${level}`}>{level}</span>
          </>
        )}
        {refused !== undefined && refused > 0 && (
          <span className="meter-split muted" data-testid="admitted-refused">
            {' '}
            ({formatNumber(Math.max(0, use - refused))} admitted,{' '}
            <span data-metric="rateLimitedPerMinute" data-value={JSON.stringify(refused)}>
              {formatNumber(refused)}
            </span>{' '}
            refused)
          </span>
        )}
      </p>
      {known ? (
        <div className="bar" aria-hidden="true">
          <div className="bar-band" />
          <div
            className="bar-fill"
            style={{ width: `${Math.min(100, Math.max(0, utilization * 100))}%` }}
          />
        </div>
      ) : (
        <div className="bar bar-empty" aria-hidden="true" />
      )}
    </div>
  );
}
