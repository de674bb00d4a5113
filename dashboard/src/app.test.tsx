import './test/setup';
import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './app';
import { LiveStore } from './live/live-store';
import { LiveStoreContext } from './live/use-live';
import { alert, FakeEventSource, snapshot } from './test/fixtures';

function start() {
  const store = new LiveStore({
    createEventSource: (url) => new FakeEventSource(url),
    // Paint at once: the tests look at the page right after each frame.
    requestFrame: (callback) => callback(),
    fetchHistory: async () => ({ seconds: [], keys: {}, nodes: {} }),
    metrics: { frames: 0, firstDataAt: undefined, frameTimes: [] },
  });
  store.start();
  render(
    <LiveStoreContext value={store}>
      <App />
    </LiveStoreContext>,
  );
  return { store, source: FakeEventSource.instances.at(-1)! };
}

const emptyFrame = {
  snapshot: snapshot(),
  history: { seconds: [1000], keys: {}, nodes: {} },
  alerts: [],
  incidents: [],
};

beforeEach(() => {
  FakeEventSource.instances.length = 0;
  // The settings and alert history load through the API: an empty collector.
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      Response.json(url.startsWith('api/alerts') ? { active: [], history: [] } : []),
    ),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('App', () => {
  it('shows how to instrument an app while the collector has seen no key', async () => {
    const { store, source } = start();
    expect(screen.getByTestId('waiting')).toBeTruthy();
    act(() => source.send(emptyFrame));
    const firstRun = screen.getByTestId('first-run');
    const code = [...firstRun.querySelectorAll('code')].map((element) => element.textContent);
    expect(code).toContain(
      'npm pack -w @headroom/contract -w @headroom/sdk   # in the Headroom clone\n' +
        'npm install <clone>/headroom-contract-0.1.0.tgz <clone>/headroom-sdk-0.1.0.tgz   # in your app',
    );
    expect(code).toContain('node --import @headroom/sdk/register app.js');
    expect(code).toContain('npx headroom start');
    expect(firstRun.textContent).toContain("init({ serviceName: 'my-agent' })");
    expect(firstRun.textContent).toContain('headroom.instrument(new OpenAI()');
    expect(screen.queryByTestId('key-card')).toBeNull();
    await act(async () => {});
    store.stop();
  });

  it('says "Disconnected — retrying" in words while the stream is down, until frames flow', async () => {
    const { store, source } = start();
    const status = screen.getByTestId('connection-status');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('Connecting to the collector…');
    act(() => source.send(emptyFrame));
    expect(status.textContent).toBe('Live');
    act(() => source.fail());
    expect(status.textContent).toBe('Disconnected — retrying');
    expect(status.dataset.state).toBe('retrying');
    // The browser reconnects; the state clears with the first frame, not with `open`.
    act(() => source.open());
    expect(status.textContent).toBe('Disconnected — retrying');
    act(() => source.send(emptyFrame));
    expect(status.textContent).toBe('Live');
    expect(status.dataset.state).toBe('live');
    await act(async () => {});
    store.stop();
  });

  it('puts the banner at the top while an alert fires', async () => {
    const { store, source } = start();
    act(() => source.send({ ...emptyFrame, alerts: [alert()] }));
    const banner = screen.getByRole('alert');
    expect(banner.dataset.testid).toBe('alert-banner');
    expect(banner.textContent).toContain('critical');
    expect(banner.textContent).toContain('Utilization at 95% of a ceiling');
    act(() => source.send({ ...emptyFrame, alerts: [alert({ state: 'pending' })] }));
    expect(screen.queryByTestId('alert-banner')).toBeNull();
    await act(async () => {});
    store.stop();
  });
});
