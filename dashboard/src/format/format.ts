import type { Dimension } from '@headroom/contract/wire';

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Counts and rates as people read them: `182,400`, `8.3`. */
export function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? whole.format(value) : oneDecimal.format(value);
}

/** Ratios like retry amplification: `1.25`. */
export function formatRatio(value: number): string {
  return twoDecimals.format(value);
}

/** A ratio as a whole percentage: 0.934 → `93 %`. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

export const DIMENSION_LABEL: Readonly<Record<Dimension, string>> = {
  rpm: 'RPM',
  tpm: 'TPM',
  concurrency: 'In flight',
};

/** Where a utilization stands against the default alert rules (80 % warning, 95 % critical). */
export type Level = 'ok' | 'warning' | 'critical';

export function levelOf(utilization: number): Level {
  if (utilization >= 0.95) return 'critical';
  if (utilization >= 0.8) return 'warning';
  return 'ok';
}

/**
 * Headroom left as a whole percentage, rounded down (a tool that warns of ceilings should not
 * round up what is left). Works in thousandths, the precision the collector rounds utilization
 * to, so 1 − 0.84 is 16, not 15.999….
 */
export function headroomPercent(utilization: number): number {
  return Math.floor((1000 - Math.round(utilization * 1000)) / 10);
}

/** `16 % headroom`, `at the ceiling`, or `over the ceiling by 4 %`. */
export function headroomPhrase(utilization: number): string {
  const left = headroomPercent(utilization);
  if (left > 0) return `${left} % headroom`;
  const over = Math.ceil((Math.round(utilization * 1000) - 1000) / 10);
  return over > 0 ? `over the ceiling by ${over} %` : '0 % headroom';
}

/** `RPM 420 / 500 · 16 % headroom`, or `RPM 420 · no ceiling`. */
export function headroomText(
  dimension: Dimension,
  use: number,
  ceiling: number | undefined,
  utilization: number | undefined,
): string {
  const label = DIMENSION_LABEL[dimension];
  if (ceiling === undefined || utilization === undefined)
    return `${label} ${formatNumber(use)} · no ceiling`;
  return `${label} ${formatNumber(use)} / ${formatNumber(ceiling)} · ${headroomPhrase(utilization)}`;
}

/** `3 s ago`, `4 min ago`, `2 h ago`. */
export function formatAgo(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

/** `key=prod|provider=openai|model=gpt-4o-mini|dimension=rpm` → `prod · openai · gpt-4o-mini · rpm`. */
export function formatSeries(series: string): string {
  return series
    .split('|')
    .map((part) => part.slice(part.indexOf('=') + 1))
    .join(' · ');
}

const ISO_LIKE: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
};
const isoLike = new Intl.DateTimeFormat('en-CA', ISO_LIKE);

type DateParts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'zone', string>;

function dateParts(milliseconds: number, timeZone?: string): DateParts {
  const format =
    timeZone === undefined ? isoLike : new Intl.DateTimeFormat('en-CA', { ...ISO_LIKE, timeZone });
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(milliseconds))) parts[part.type] = part.value;
  return { ...(parts as Omit<DateParts, 'zone'>), zone: parts.timeZoneName ?? '' };
}

/**
 * `2026-12-02 16:31:05 UTC`: year first, 24-hour clock, and the time zone, the same in every
 * locale (ms since the epoch, shown in the browser's zone). `timeZone` is for tests.
 */
export function formatDateTime(milliseconds: number, timeZone?: string): string {
  const { year, month, day, hour, minute, second, zone } = dateParts(milliseconds, timeZone);
  return `${year}-${month}-${day} ${hour}:${minute}:${second} ${zone}`;
}

/** `2026-12-02 16:31 UTC`: `formatDateTime` for a minute (a point of the minute ranges). */
export function formatDateMinute(milliseconds: number, timeZone?: string): string {
  const { year, month, day, hour, minute, zone } = dateParts(milliseconds, timeZone);
  return `${year}-${month}-${day} ${hour}:${minute} ${zone}`;
}

/** The zone the page shows times in, as `formatDateTime` names it: `UTC`, `GMT+1`. */
export function formatTimeZone(milliseconds: number, timeZone?: string): string {
  return dateParts(milliseconds, timeZone).zone;
}

/**
 * A time axis tick, ISO-like on a 24-hour clock, as precise as the ticks are apart (`increment`)
 * and with the date once the axis spans more than a day (`span`), both in seconds: `16:31:05`,
 * `16:31`, `12-02 16:00`, `12-02`. The zone is the axis label's (`formatTimeZone`).
 */
export function formatTick(
  milliseconds: number,
  increment: number,
  span: number,
  timeZone?: string,
): string {
  const { month, day, hour, minute, second } = dateParts(milliseconds, timeZone);
  if (increment >= 86_400) return `${month}-${day}`;
  if (span > 86_400) return `${month}-${day} ${hour}:${minute}`;
  if (increment < 60) return `${hour}:${minute}:${second}`;
  return `${hour}:${minute}`;
}

/** `attemptsPerCall` → `attempts per call`: evidence names as people read them. */
export function formatFieldName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
