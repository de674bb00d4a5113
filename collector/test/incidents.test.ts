import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { Collector } from '../src/collector.js';
import { openStore } from '../src/storage/index.js';
import type { Incident } from '../src/storage/types.js';
import { fakeClock } from '../src/view/test-helpers.js';
import { json, rampAgainstCeiling, resources, storeWithCeiling } from './helpers.js';

const open = resources();
afterEach(() => open.close());

const RPM = 600;
const SUBJECT = 'key=prod|provider=openai|model=gpt-4o-mini';

describe('incidents', () => {
  it('a ramp past the ceiling with the default rules: one incident, every alert in it, kept across a restart', async () => {
    const clock = fakeClock();
    const directory = open.directory();
    const store = storeWithCeiling(directory, clock.now(), RPM);
    const collector = new Collector({ now: clock.now, store });
    let openedAt: number | undefined;
    // One more request a second every 6 s up to 14/s, then nothing from second 100.
    const first429 = rampAgainstCeiling(collector, clock, {
      rpm: RPM,
      seconds: 240,
      offered: (second) => (second < 100 ? Math.min(14, Math.floor(second / 6)) : 0),
      each: () => {
        if (collector.openIncidents().length > 0) openedAt ??= clock.now();
      },
    });
    expect(collector.openIncidents()).toEqual([]);
    const [incident] = collector.recentIncidents();
    expect(collector.recentIncidents()).toHaveLength(1);
    expect(incident).toMatchObject({
      subject: SUBJECT,
      state: 'resolved',
      severity: 'critical',
      openedAt,
      firstRateLimitedAt: expect.any(Number),
    });
    // Opened by the warning before the provider's first 429, which the timeline then records.
    expect(openedAt!).toBeLessThan(first429!);
    expect(incident!.firstRateLimitedAt!).toBeGreaterThanOrEqual(first429!);
    const kinds = incident!.timeline.map((event) => event.kind);
    expect(kinds[0]).toBe('first_warning');
    expect(kinds).toEqual(
      expect.arrayContaining([
        'opened',
        'cause_decided',
        'peak_utilization',
        'severity_raised',
        'first_429',
      ]),
    );
    expect(kinds.at(-1)).toBe('resolved');
    // A plain ramp is demand, not a pattern; its numbers are those of the worst moment.
    expect(incident!.cause).toBe('none');
    expect(incident!.diagnosis.evidence).toMatchObject({ rpmCeiling: RPM });
    expect(incident!.diagnosis.evidence.requestsPerMinute).toBeGreaterThanOrEqual(RPM * 0.8);
    expect(incident!.timeline.map((event) => event.at)).toEqual(
      [...incident!.timeline.map((event) => event.at)].sort((a, b) => a - b),
    );
    // Every alert that fired on the key is in it, and its history carries the incident's id.
    const history = store.listTransitions({ limit: 1000 });
    const fired = new Set(
      history.filter((t) => t.state === 'firing').map((t) => `${t.ruleId} ${t.series}`),
    );
    expect(fired.size).toBeGreaterThan(2);
    expect(
      new Set(
        incident!.alerts
          .filter((alert) => alert.firingSince !== undefined)
          .map((alert) => `${alert.ruleId} ${alert.series}`),
      ),
    ).toEqual(fired);
    for (const transition of history) {
      if (transition.state === 'firing') {
        expect(transition.incidentId).toBe(incident!.id);
        expect(transition.diagnosis).toMatchObject({ cause: incident!.cause });
      }
    }
    store.close();

    // A restart: the incident is still there, served by the API.
    const reopened = openStore(directory);
    open.add(() => reopened.close());
    const restarted = new Collector({ now: clock.now, store: reopened });
    expect(restarted.recentIncidents()).toEqual([incident]);
    const app = createApp(restarted);
    const body = (await json(app.request('http://localhost/api/incidents'))) as {
      open: Incident[];
      recent: Incident[];
    };
    expect(body).toEqual({ open: [], recent: [incident], active: [] });
    expect(
      await json(app.request(`http://localhost/api/incidents?since=${incident!.resolvedAt! + 1}`)),
    ).toEqual({ open: [], recent: [], active: [] });
    const refused = await app.request('http://localhost/api/incidents?limit=0');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: 'Expected `limit` to be an integer from 1 to 200, got "0"',
    });
  });
});
