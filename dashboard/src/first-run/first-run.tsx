// Not on the npm registry yet: packed in a clone of Headroom, installed from the tarballs.
const INSTALL = `npm pack -w @headroom/contract -w @headroom/sdk   # in the Headroom clone
npm install <clone>/headroom-contract-0.1.0.tgz <clone>/headroom-sdk-0.1.0.tgz   # in your app`;

const INSTRUMENT = `import { init } from '@headroom/sdk';
import OpenAI from 'openai';

const headroom = init({ serviceName: 'my-agent' });
const openai = headroom.instrument(new OpenAI(), { key: 'prod-key' });`;

/** Shown while the collector has seen no model call: how to get the first one here. */
export function FirstRun() {
  return (
    <section className="card first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <h3 id="first-run-title">No model calls yet</h3>
      <p>
        The collector is running and has not received telemetry. Instrument your app once at
        start-up; its calls show up here within a second.
      </p>
      <ol>
        <li>
          Install the SDK. It is not on the npm registry yet: pack it in the Headroom clone and
          install the tarballs in your app:
          <pre>
            <code>{INSTALL}</code>
          </pre>
        </li>
        <li>
          Instrument the client where the app starts:
          <pre>
            <code>{INSTRUMENT}</code>
          </pre>
          Or without a code change:
          <pre>
            <code>node --import @headroom/sdk/register app.js</code>
          </pre>
        </li>
        <li>
          Start the collector (it serves this page) if it is not running yet:
          <pre>
            <code>npx headroom start</code>
          </pre>
          Apps export to <code>http://127.0.0.1:4800</code> every 500 ms by default.
        </li>
      </ol>
    </section>
  );
}
