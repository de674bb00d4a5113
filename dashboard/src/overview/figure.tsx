import type { ReactNode } from 'react';

/**
 * One figure of the view: `data-metric` is its path in the collector's KeyView (or NodeView),
 * `data-value` the raw value as JSON (`null` when absent), so a test can compare it with
 * `/api/snapshot` exactly whatever the page shows as text.
 */
export function Figure({
  metric,
  value,
  label,
  children,
}: {
  metric: string;
  value: number | null | undefined;
  label: string;
  children: ReactNode;
}) {
  return (
    <div className="figure" data-metric={metric} data-value={JSON.stringify(value ?? null)}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
