import { describe, expect, it } from 'vitest';
import type { Incident, Webhook } from '../../storage/types.js';
import { second } from '../test-helpers.js';
import { incident as base, webhook } from '../webhooks/test-helpers.js';
import { IncidentNotices } from './incident-notices.js';

const hook = (fields: Partial<Webhook> = {}) => webhook('https://hooks.test/x', fields);
const warning = (fields: Partial<Incident> = {}): Incident => ({
  ...base,
  openedAt: second(0),
  severity: 'warning',
  ...fields,
});

/** `due` once a second from `from` to `to` (inclusive); the reasons sent, with the second. */
function run(
  notices: IncidentNotices,
  webhooks: readonly Webhook[],
  incidentAt: (at: number) => { open: Incident[]; resolved?: Incident[] },
  from: number,
  to: number,
): Array<[number, string, string]> {
  const sent: Array<[number, string, string]> = [];
  for (let at = from; at <= to; at++) {
    const { open, resolved = [] } = incidentAt(at);
    for (const notice of notices.due(webhooks, open, resolved, second(at)))
      sent.push([at, notice.webhook.id, notice.reason]);
  }
  return sent;
}

describe('IncidentNotices', () => {
  it('waits the group wait, then sends one message with what the wait brought; a higher severity in the wait is in it', () => {
    const notices = new IncidentNotices();
    const sent = run(
      notices,
      [hook()],
      (at) => ({ open: [warning({ severity: at >= 4 ? 'critical' : 'warning' })] }),
      0,
      30,
    );
    expect(sent).toEqual([[10, 'slack', 'opened']]);
  });

  it('an incident resolved within the group wait is never sent, opened or resolved', () => {
    const notices = new IncidentNotices();
    const incident = warning();
    const resolved = { ...incident, state: 'resolved' as const, resolvedAt: second(5) };
    const sent = run(
      notices,
      [hook()],
      (at) =>
        at < 5
          ? { open: [incident] }
          : at === 5
            ? { open: [], resolved: [resolved] }
            : { open: [] },
      0,
      20,
    );
    expect(sent).toEqual([]);
  });

  it('after it opened: one message when severity rises, one when the cause changes, one when it resolves', () => {
    const notices = new IncidentNotices();
    const at = (s: number): { open: Incident[]; resolved?: Incident[] } => {
      const incident = warning({
        severity: s >= 20 ? 'critical' : 'warning',
        cause: s >= 30 ? 'stacked_retries' : 'fan_out',
      });
      if (s < 40) return { open: [incident] };
      if (s === 40) return { open: [], resolved: [{ ...incident, state: 'resolved' }] };
      return { open: [] };
    };
    expect(run(notices, [hook()], at, 0, 50)).toEqual([
      [10, 'slack', 'opened'],
      [20, 'slack', 'severity_raised'],
      [30, 'slack', 'cause_changed'],
      [40, 'slack', 'resolved'],
    ]);
    const quiet = new IncidentNotices();
    expect(
      run(
        quiet,
        [hook({ sendUpdates: false, sendResolved: false, groupWaitSeconds: 0 })],
        at,
        0,
        50,
      ),
    ).toEqual([[0, 'slack', 'opened']]);
  });

  it('reminds at most every repeat interval, counted from the last message sent', () => {
    const notices = new IncidentNotices();
    const at = (s: number) => ({ open: [warning({ cause: s >= 100 ? 'graph_loop' : 'fan_out' })] });
    expect(
      run(notices, [hook({ groupWaitSeconds: 0, repeatIntervalSeconds: 60 })], at, 0, 250),
    ).toEqual([
      [0, 'slack', 'opened'],
      [60, 'slack', 'reminder'],
      [100, 'slack', 'cause_changed'],
      [160, 'slack', 'reminder'],
      [220, 'slack', 'reminder'],
    ]);
  });

  it('a webhook for critical only hears of an incident once it is critical; a disabled one never', () => {
    const notices = new IncidentNotices();
    const webhooks = [
      hook({ id: 'critical', severities: ['critical'] }),
      hook({ id: 'off', enabled: false }),
    ];
    const at = (s: number) => ({ open: [warning({ severity: s >= 30 ? 'critical' : 'warning' })] });
    expect(run(notices, webhooks, at, 0, 40)).toEqual([[30, 'critical', 'opened']]);
  });

  it('forgets what it told a webhook that was removed, and incidents that went away unseen', () => {
    const notices = new IncidentNotices();
    const incident = warning();
    expect(notices.due([hook({ groupWaitSeconds: 0 })], [incident], [], second(0))).toHaveLength(1);
    // Removed, then added again: told anew.
    expect(notices.due([], [incident], [], second(1))).toEqual([]);
    expect(
      notices.due([hook({ groupWaitSeconds: 0 })], [incident], [], second(2)).map((n) => n.reason),
    ).toEqual(['opened']);
    // The incident left without a resolved event (resolved while not looked at): no resolved
    // notice later for it.
    expect(notices.due([hook()], [], [], second(3))).toEqual([]);
    expect(notices.due([hook()], [], [{ ...incident, state: 'resolved' }], second(4))).toEqual([]);
  });
});
