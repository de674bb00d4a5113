import type { GuardView, KeyView } from '@headroom/contract/wire';
import { memo, useId } from 'react';
import { formatNumber, formatPercent, formatRatio, levelOf } from '../format/format';
import { Figure } from './figure';
import { HeadroomMeter } from './headroom-meter';
import { sameKeyView } from './same-key-view';

/** One key × provider × model: headroom to each ceiling, and the signals of the five causes. */
export const KeyCard = memo(function KeyCard({ view }: { view: KeyView }) {
  const titleId = useId();
  const burst = view.utilization.burst;
  const replicas = view.replicas.length;
  return (
    <article
      className="card key-card"
      data-testid="key-card"
      data-key={view.key}
      data-provider={view.provider}
      data-model={view.model}
      aria-labelledby={titleId}
    >
      <header className="card-header">
        <h3 id={titleId}>
          {view.key}{' '}
          <span className="muted">
            · {view.provider} · {view.model}
          </span>
        </h3>
      </header>
      <HeadroomMeter
        dimension="rpm"
        use={view.requestsPerMinute}
        ceiling={view.ceilings.rpm}
        utilization={view.utilization.rpm}
        refused={view.rateLimitedPerMinute}
      />
      <HeadroomMeter
        dimension="tpm"
        use={view.tokensPerMinute}
        ceiling={view.ceilings.tpm}
        utilization={view.utilization.tpm}
      />
      <HeadroomMeter
        dimension="concurrency"
        use={view.activeAtProvider}
        ceiling={view.ceilings.concurrency}
        utilization={view.utilization.concurrency}
      />
      <dl className="figures">
        <Figure metric="rateLimitedPerMinute" value={view.rateLimitedPerMinute} label="429s / min">
          {formatNumber(view.rateLimitedPerMinute)}
          {view.rateLimitedPerMinute > 0 && ' '}
          {view.rateLimitedPerMinute > 0 && <span className="tag tag-critical">rate limited</span>}
        </Figure>
        <Figure
          metric="retryAmplification"
          value={view.retryAmplification}
          label="Retry amplification"
        >
          {view.retryAmplification === null ? (
            <span title="No calls in the last 60 s">—</span>
          ) : (
            <>
              {formatRatio(view.retryAmplification)}× attempts per call
              {view.retryAmplification > 1.5 && ' '}
              {view.retryAmplification > 1.5 && <span className="tag tag-warning">stacked</span>}
            </>
          )}
        </Figure>
        <Figure metric="utilization.burst" value={burst} label="Burst">
          {burst === undefined ? (
            'no RPM ceiling'
          ) : (
            <>
              {formatPercent(burst)} of rpm/60
              {levelOf(burst) !== 'ok' && ' '}
              {levelOf(burst) !== 'ok' && (
                <span className={`tag tag-${levelOf(burst)}`}>{levelOf(burst)}</span>
              )}
            </>
          )}
        </Figure>
        <Figure
          metric="peakRequestsPerSecond"
          value={view.peakRequestsPerSecond}
          label="Busiest second"
        >
          {formatNumber(view.peakRequestsPerSecond)} requests
        </Figure>
        <Figure metric="peakActiveCalls" value={view.peakActiveCalls} label="Peak in flight">
          {formatNumber(view.peakActiveCalls)}
        </Figure>
        <Figure metric="callsPerMinute" value={view.callsPerMinute} label="Calls / min">
          {formatNumber(view.callsPerMinute)}
        </Figure>
        <Figure metric="replicas.length" value={replicas} label="Replicas">
          {replicas} {replicas === 1 ? 'replica' : 'replicas'}
        </Figure>
      </dl>
      {view.guard && <GuardFigures guard={view.guard} />}
    </article>
  );
}, sameProps);

/** The guard beside the key: what waits, what went, what it refused. */
function GuardFigures({ guard }: { guard: GuardView }) {
  return (
    <section className="guard-figures" aria-label="Guard">
      <h4>Guard</h4>
      <dl className="figures">
        <Figure metric="guard.waiting" value={guard.waiting} label="Waiting">
          {formatNumber(guard.waiting)} {guard.waiting === 1 ? 'call' : 'calls'}
        </Figure>
        <Figure
          metric="guard.admittedPerMinute"
          value={guard.admittedPerMinute}
          label="Let go / min"
        >
          {formatNumber(guard.admittedPerMinute)}, {formatNumber(guard.delayedPerMinute)} after a
          wait
        </Figure>
        <Figure
          metric="guard.rejectedPerMinute"
          value={guard.rejectedPerMinute}
          label="Refused / min"
        >
          {formatNumber(guard.rejectedPerMinute)}
          {guard.rejectedPerMinute > 0 && ' '}
          {guard.rejectedPerMinute > 0 && (
            <span className="tag tag-warning">queue full or timed out</span>
          )}
        </Figure>
        <Figure
          metric="guard.averageWaitSeconds"
          value={guard.averageWaitSeconds}
          label="Mean wait"
        >
          {guard.averageWaitSeconds === null ? '—' : `${formatRatio(guard.averageWaitSeconds)} s`}
        </Figure>
      </dl>
    </section>
  );
}

function sameProps(before: { view: KeyView }, after: { view: KeyView }): boolean {
  return sameKeyView(before.view, after.view);
}
