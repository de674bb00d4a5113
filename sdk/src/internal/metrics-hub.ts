import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import type { GenAiConventions } from './conventions.js';
import { PEAK_SLOTS, type Recorder } from './histogram.js';
import { BOUNDARIES, INSTRUMENTS } from './instruments.js';
import { registerObservableMetrics } from './observable-metrics.js';
import { SeriesStore } from './series.js';

/** Headroom's instruments on one meter: its histograms, and its observables' callback. */
interface MeterBinding {
  readonly meter: Meter;
  readonly slot: number;
  readonly histograms: Map<string, Histogram>;
  readonly unregister: () => void;
}

/**
 * Where Headroom's metrics meet OpenTelemetry. Counters, up-down counters and gauges are
 * observable instruments reading the series store's plain numbers at collection; histograms are
 * the meter's own histograms, so every one of them goes through the provider's Views, limits,
 * readers and resource like any other instrument of the app. A hub can be bound to several
 * meters at once (the app's, plus one per extra provider Headroom adds for its own readers); a
 * value is then recorded into each.
 */
export class MetricsHub {
  readonly store: SeriesStore;
  #bindings: readonly MeterBinding[] = [];

  constructor(conventions: GenAiConventions) {
    this.store = new SeriesStore(
      (name, attributes) => new HubRecorder(this, name, attributes),
      conventions,
    );
  }

  /** @internal Read on every record: replaced, never mutated, when bindings change. */
  get bindings(): readonly MeterBinding[] {
    return this.#bindings;
  }

  /** Creates Headroom's instruments on `meter`; returns how to take them off again. */
  bind(meter: Meter): () => void {
    // The lowest slot no binding holds: a rebound meter (NodeSDK hands the provider over twice)
    // gets its slot back.
    let slot = 0;
    while (slot < PEAK_SLOTS - 1 && this.#bindings.some((binding) => binding.slot === slot)) slot++;
    for (const series of [
      ...this.store.calls.values(),
      ...this.store.limits.values(),
      ...this.store.nodes.values(),
    ]) {
      series.active.peaks[slot] = series.active.value;
    }
    const binding: MeterBinding = {
      meter,
      slot,
      histograms: new Map(),
      unregister: registerObservableMetrics(meter, this.store, slot),
    };
    this.#bindings = [...this.#bindings, binding];
    let bound = true;
    return () => {
      if (!bound) return;
      bound = false;
      binding.unregister();
      this.#bindings = this.#bindings.filter((other) => other !== binding);
    };
  }
}

/** One histogram × attribute set of the store, recorded into the histogram of every binding. */
class HubRecorder implements Recorder {
  constructor(
    private readonly hub: MetricsHub,
    private readonly name: string,
    private readonly attributes: Attributes,
  ) {}

  record(value: number): void {
    if (!(value >= 0) || value === Number.POSITIVE_INFINITY) return;
    const bindings = this.hub.bindings;
    for (let index = 0; index < bindings.length; index++) {
      histogramOf(bindings[index]!, this.name).record(value, this.attributes);
    }
  }
}

function histogramOf(binding: MeterBinding, name: string): Histogram {
  let histogram = binding.histograms.get(name);
  if (histogram === undefined) {
    histogram = binding.meter.createHistogram(name, {
      ...INSTRUMENTS[name]!,
      advice: { explicitBucketBoundaries: [...BOUNDARIES[name]!] },
    });
    binding.histograms.set(name, histogram);
  }
  return histogram;
}
