import { type GuardConfig, resolveGuard } from '../guard/options.js';
import { keyFingerprint } from '../internal/key-fingerprint.js';
import { environmentKeyNames } from '../internal/key-names.js';
import type { InstrumentOptions } from '../types.js';
import type { ProviderSpec } from './provider-spec.js';

export interface ClientInfo {
  provider: string;
  key: string;
  tenant: string | undefined;
  serverAddress: string | undefined;
  /**
   * An `AzureOpenAI` client's `deployment`: Azure's quota is per deployment, so the guard's lane
   * is too, whatever model the body names.
   */
  deployment: string | undefined;
  /** Set when the client is guarded. */
  guard: GuardConfig | undefined;
}

const overrides = new WeakMap<object, InstrumentOptions>();
const infos = new WeakMap<object, ClientInfo>();

/** Remembers what the user said of a client in `instrument(client, options)`. */
export function configureClient(client: object, options: InstrumentOptions): void {
  overrides.set(client, options);
  infos.delete(client);
}

/** Provider, key name and server of a client, worked out once per client. */
export function clientInfo(client: any, spec: ProviderSpec): ClientInfo {
  let info = infos.get(client);
  if (info === undefined) {
    const options = overrides.get(client) ?? {};
    const serverAddress = hostOf(client?.baseURL);
    info = {
      provider: options.provider ?? spec.provider(client),
      key:
        options.key ??
        environmentKeyNames().name(
          keyFingerprint(typeof client?.apiKey === 'string' ? client.apiKey : undefined),
          serverAddress,
        ),
      tenant: options.tenant,
      serverAddress,
      deployment:
        typeof client?.deploymentName === 'string' && client.deploymentName !== ''
          ? client.deploymentName
          : undefined,
      guard: resolveGuard(options.guard),
    };
    if (client !== null && typeof client === 'object') infos.set(client, info);
  }
  return info;
}

function hostOf(baseURL: unknown): string | undefined {
  if (typeof baseURL !== 'string') return undefined;
  try {
    return new URL(baseURL).hostname;
  } catch {
    return undefined;
  }
}
