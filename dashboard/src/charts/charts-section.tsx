import type { CeilingValue, KeyView } from '@headroom/contract/wire';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { RANGE_LABEL, RANGES } from '../live/ranges';
import type { KeyField, SeriesBuffers } from '../live/series-buffers';
import { useLiveState, useLiveStore } from '../live/use-live';
import { ChartColumns, fillKeyColumns, fillStackedColumns } from './chart-data';
import { keyChartOptions, stackedChartOptions } from './chart-options';
import { type ChartSpec, LiveChart } from './live-chart';

const keyId = (view: Pick<KeyView, 'key' | 'provider' | 'model'>) =>
  `${view.key}|${view.provider}|${view.model}`;

/** The key closest to any of its ceilings: what the page shows first. */
function busiest(keys: readonly KeyView[]): string | undefined {
  let best: KeyView | undefined;
  let bestUse = -1;
  for (const view of keys) {
    const use = Math.max(
      view.utilization.rpm ?? 0,
      view.utilization.tpm ?? 0,
      view.utilization.concurrency ?? 0,
    );
    if (use > bestUse) {
      best = view;
      bestUse = use;
    }
  }
  return best === undefined ? undefined : keyId(best);
}

/**
 * Live charts: calls in flight stacked by node (or by key, at the provider, with the calls
 * waiting in a guard dashed), one key's RPM and TPM against its ceiling with the warning band,
 * and its 429s and retries. A shared cursor; 5 min, 15 min or 1 h at 1 s, 6 h, 24 h or 7 d at
 * 1 min from the collector's rollups.
 */
export function ChartsSection() {
  const store = useLiveStore();
  const { snapshot, range, rangeLoading, rangeError, resolution } = useLiveState();
  const id = useId();
  const keys = snapshot?.keys ?? [];
  const keyIds = store.buffers.ids('keys');
  const nodeIds = store.buffers.ids('nodes');
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const selectable = useMemo(() => {
    const ids = new Set(keyIds);
    for (const view of keys) ids.add(keyId(view));
    return [...ids].sort();
  }, [keyIds, keys]);
  useEffect(() => {
    if (chosen === undefined && keys.length > 0) setChosen(busiest(keys));
  }, [chosen, keys]);
  const selected = chosen !== undefined && selectable.includes(chosen) ? chosen : selectable[0];
  const view = keys.find((candidate) => keyId(candidate) === selected);

  const byNode = nodeIds.length > 0;
  const stackIds = byNode ? nodeIds : keyIds;
  const waitingIds = useMemo(() => guardedIds(store.buffers, keyIds), [store.buffers, keyIds]);
  const inFlight = useStackedSpec(
    byNode ? 'nodes' : 'keys',
    stackIds,
    byNode,
    waitingIds,
    resolution,
  );
  const rpm = useKeySpec(
    'Requests per minute',
    selected,
    ['requestsPerMinute'],
    'RPM',
    view?.ceilings.rpm,
    resolution,
  );
  const tpm = useKeySpec(
    'Tokens per minute',
    selected,
    ['tokensPerMinute'],
    'TPM',
    view?.ceilings.tpm,
    resolution,
  );
  const errors = useKeySpec(
    '429s and retries per minute',
    selected,
    ['rateLimitedPerMinute', 'retriesPerMinute'],
    undefined,
    undefined,
    resolution,
  );

  return (
    <>
      <div className="chart-controls">
        <fieldset className="range" aria-describedby={`${id}-range-note`}>
          <legend>Range</legend>
          {RANGES.map((seconds) => (
            <button
              key={seconds}
              type="button"
              aria-pressed={range === seconds}
              data-testid="range"
              data-range={seconds}
              onClick={() => void store.setRange(seconds)}
            >
              {RANGE_LABEL[seconds]}
            </button>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-key`}>Key for RPM, TPM and 429s</label>
          <select
            id={`${id}-key`}
            value={selected ?? ''}
            onChange={(event) => setChosen(event.target.value)}
            disabled={selectable.length === 0}
          >
            {selectable.map((option) => (
              <option key={option} value={option}>
                {option.split('|').join(' · ')}
              </option>
            ))}
          </select>
        </div>
        <p id={`${id}-range-note`} className="muted" role="status">
          {rangeLoading ? `Loading ${RANGE_LABEL[range]} of history…` : ''}
          {rangeError ?? ''}
        </p>
      </div>
      <div className="chart-grid">
        <LiveChart
          spec={inFlight}
          label={
            byNode
              ? 'Calls in flight, stacked by graph node; calls waiting in a guard, dashed, by key'
              : 'Calls in flight at the provider, stacked by key; calls waiting in a guard, dashed'
          }
        />
        <LiveChart
          spec={rpm}
          label="Requests per minute against the RPM ceiling, warning band 80 to 95 %"
        />
        <LiveChart
          spec={tpm}
          label="Tokens per minute against the TPM ceiling, warning band 80 to 95 %"
        />
        <LiveChart spec={errors} label="429s and retries per minute" />
      </div>
      {view !== undefined &&
        (view.ceilings.rpm === undefined || view.ceilings.tpm === undefined) && (
          <p className="muted">
            No {view.ceilings.rpm === undefined ? 'RPM' : 'TPM'} ceiling for this key yet: set one
            under <a href="#settings">Ceilings and alerts</a>, or it is learned from the provider's
            rate-limit headers.
          </p>
        )}
    </>
  );
}

/** The stacked chart's bottom series when there are nodes: calls made outside any graph node. */
export const OUTSIDE_NODES = 'outside any graph node';

/** The keys a guard is on, among `ids`: each gets a dashed "waiting in guard" line. */
function guardedIds(buffers: SeriesBuffers, ids: readonly string[]): readonly string[] {
  return ids.filter((id) => buffers.keys.get(id)?.guarded === true);
}

/** The label of a key's "waiting in guard" line; its colour is the key's. */
export const waitingLabel = (keyLabel: string) => `waiting in guard · ${keyLabel}`;

const keyLabel = (id: string) => id.split('|').join(' · ');

function useStackedSpec(
  kind: 'keys' | 'nodes',
  ids: readonly string[],
  byNode: boolean,
  waiting: readonly string[],
  resolution: number,
): ChartSpec {
  return useMemo(() => {
    const out = new ChartColumns();
    const raw = new ChartColumns();
    const labels = ids.map((id) => (byNode ? id.split('|').join(' / ') : keyLabel(id)));
    if (byNode) labels.push(OUTSIDE_NODES);
    const lines = waiting.map((id) => ({
      label: waitingLabel(keyLabel(id)),
      colorOf: keyLabel(id),
    }));
    const per = resolution >= 60 ? 'peak per minute' : 'peak per second';
    return {
      shape: `stacked|${kind}|${resolution}|${ids.join('\n')}|${waiting.join('\n')}`,
      options: (width, theme) =>
        stackedChartOptions({
          title: byNode
            ? `Calls in flight by graph node (${per}, waiting in a guard included)`
            : `Calls in flight at the provider by key (${per})`,
          width,
          theme,
          labels,
          lines,
          resolution,
          raw: () => raw.columns,
        }),
      fill: (buffers) =>
        fillStackedColumns(buffers, kind, ids, 'peakActiveCalls', out, raw, byNode, waiting),
    };
  }, [kind, ids, byNode, waiting, resolution]);
}

function useKeySpec(
  title: string,
  selected: string | undefined,
  fields: readonly KeyField[],
  dimension: 'RPM' | 'TPM' | undefined,
  ceiling: CeilingValue | undefined,
  resolution: number,
): ChartSpec {
  const value = ceiling?.value;
  const source = ceiling?.source;
  // The chart's band reads the ceiling when it draws: a new value needs no new chart.
  const ceilingNow = useRef(value);
  ceilingNow.current = value;
  const fieldList = fields.join();
  // biome-ignore lint/correctness/useExhaustiveDependencies: fields are compared by their names
  return useMemo(() => {
    const out = new ChartColumns();
    const ceilingLabel =
      dimension === undefined || value === undefined
        ? undefined
        : `${dimension} ceiling (${source})`;
    const withKey =
      selected === undefined ? title : `${title} · ${selected.split('|').join(' · ')}`;
    return {
      shape: `key|${resolution}|${fieldList}|${selected}|${ceilingLabel}`,
      options: (width, theme) =>
        keyChartOptions({
          title: withKey,
          width,
          theme,
          resolution,
          lines: fields.map((field, index) => ({
            label: LINE_LABEL[field],
            color: theme.series[index === 0 ? 0 : 4]!,
          })),
          ...(ceilingLabel !== undefined && { ceilingLabel }),
          ceiling: () => ceilingNow.current,
        }),
      fill: (buffers) => fillKeyColumns(buffers, selected, fields, value, out),
    };
  }, [title, selected, fieldList, dimension, value, source, resolution]);
}

const LINE_LABEL: Readonly<Record<KeyField, string>> = {
  requestsPerMinute: 'requests / min',
  tokensPerMinute: 'tokens / min',
  rateLimitedPerMinute: '429s / min',
  retriesPerMinute: 'retries / min',
  peakActiveCalls: 'in flight (peak)',
  guardWaiting: 'waiting in guard',
  activeAtProvider: 'at the provider',
};
