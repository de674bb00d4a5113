import { describe, expect, it } from 'vitest';
import { DeliveryBound } from './delivery-bound.js';

function bound(options: ConstructorParameters<typeof DeliveryBound>[0] = {}) {
  let time = 1_000_000;
  const instance = new DeliveryBound({ now: () => time, ...options });
  return {
    instance,
    advance: (milliseconds: number) => {
      time += milliseconds;
    },
    admitted: (webhook: string, alert: string, state: 'firing' | 'resolved') =>
      instance.admit(webhook, alert, state).admitted,
  };
}

describe('DeliveryBound', () => {
  it('lets at most 6 notifications of one alert through in any rolling minute', () => {
    const { instance, advance, admitted } = bound();
    const outcomes: boolean[] = [];
    // A flapping alert: firing and resolved alternately, one every 5 s, for a minute.
    for (let index = 0; index < 12; index++) {
      outcomes.push(admitted('slack', 'rule|series', index % 2 === 0 ? 'firing' : 'resolved'));
      advance(5000);
    }
    expect(outcomes).toEqual([...Array(6).fill(true), ...Array(6).fill(false)]);
    expect(instance.suppressed).toBe(6);
    // At 60 s the first delivery (at 0 s) has left the window, and one more may go.
    expect(admitted('slack', 'rule|series', 'firing')).toBe(true);
    expect(admitted('slack', 'rule|series', 'resolved')).toBe(true);
    expect(admitted('slack', 'rule|series', 'firing')).toBe(false);
  });

  it('the window is per webhook: another webhook is not held back', () => {
    const { admitted } = bound({ perAlert: 1 });
    expect(admitted('a', 'alert', 'firing')).toBe(true);
    expect(admitted('a', 'alert-2', 'firing')).toBe(true);
    expect(admitted('b', 'alert', 'firing')).toBe(true);
    expect(admitted('a', 'alert', 'resolved')).toBe(true);
    expect(admitted('a', 'alert', 'firing')).toBe(false);
  });

  it('caps a webhook at 60 a minute, and still sends the resolved of a firing it delivered', () => {
    const { instance, advance, admitted } = bound();
    const firing = Array.from({ length: 70 }, (_, index) =>
      admitted('slack', `s${index}`, 'firing'),
    );
    expect(firing).toEqual([...Array(60).fill(true), ...Array(10).fill(false)]);
    advance(1000);
    // s0 was delivered firing: its resolved goes although the webhook is at its cap.
    expect(admitted('slack', 's0', 'resolved')).toBe(true);
    // s65 was held back firing: the receiver never saw it fire, so its resolved is held back too.
    expect(admitted('slack', 's65', 'resolved')).toBe(false);
    // A new firing alert waits for room.
    expect(admitted('slack', 's70', 'firing')).toBe(false);
    expect(instance.suppressed).toBe(12);
    advance(60_000);
    expect(admitted('slack', 's70', 'firing')).toBe(true);
  });

  it('asks for one report per alert and minute, with the count held back since the last', () => {
    const { instance, advance } = bound({ perAlert: 1 });
    const reports = [];
    for (let second = 0; second < 130; second++) {
      const admission = instance.admit('slack', 'alert', 'firing');
      if (!admission.admitted && admission.report) reports.push([second, admission.report]);
      advance(1000);
    }
    // Admitted at 0, 60 and 120 s; refused in between, reported at 1 s and 61 s (the window's first).
    expect(reports).toEqual([
      [1, { suppressedSinceLastReport: 1 }],
      [61, { suppressedSinceLastReport: 59 }],
      [121, { suppressedSinceLastReport: 59 }],
    ]);
    expect(instance.suppressed).toBe(127);
  });

  it('names a bad option', () => {
    expect(() => new DeliveryBound({ perAlert: 0 })).toThrow(
      'Expected `perAlert` to be an integer from 1 and up, got 0',
    );
    expect(() => new DeliveryBound({ perWebhook: 2.5 })).toThrow(
      'Expected `perWebhook` to be an integer from 1 and up, got 2.5',
    );
    expect(() => new DeliveryBound({ windowMs: 0 })).toThrow(
      'Expected `windowMs` to be a number above 0, got 0',
    );
  });
});
