import type { Rule } from '../../storage/types.js';
import type { NodeView } from '../../view/snapshot.js';
import { nodeSeries } from '../series-id.js';
import { higherIsWorse, type Measurement } from './measurement.js';

/** Most executions of one node within one run: a loop re-entering it. */
export function measureNodeExecutions(rule: Rule, node: NodeView): Measurement[] {
  return [
    higherIsWorse({
      series: nodeSeries(node),
      value: node.maxExecutionsPerRun,
      threshold: rule.threshold,
      clearMargin: rule.clearMargin,
    }),
  ];
}
