import { reportFault } from './fault.js';

/**
 * Names for keys that the code does not name, from the environment, so a zero-code app
 * (`--import @headroom/sdk/register`) shows `prod` instead of `key-f48f2dc6`:
 * `HEADROOM_KEY_NAMES="key-f48f2dc6=prod,my-east.openai.azure.com=azure-east,*=default-key"`.
 * Each entry matches a key fingerprint (as shown on the dashboard) or the host of the client's
 * base URL; `*` names every key that no other entry names. A name given in code wins.
 */
export interface KeyNames {
  /** The name for a key with this fingerprint on this host, or the fingerprint itself. */
  name(fingerprint: string, host: string | undefined): string;
}

export function parseKeyNames(text: string | undefined): KeyNames {
  const names = new Map<string, string>();
  for (const entry of (text ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const [match, name, ...rest] = entry.split('=').map((part) => part.trim());
    if (!match || !name || rest.length > 0) {
      reportFault(
        'HEADROOM_KEY_NAMES',
        new Error(`entry ${JSON.stringify(entry.trim())} is not match=name; it is ignored`),
      );
      continue;
    }
    names.set(match.toLowerCase(), name);
  }
  return {
    name(fingerprint, host) {
      if (names.size === 0) return fingerprint;
      return (
        names.get(fingerprint.toLowerCase()) ??
        (host === undefined ? undefined : names.get(host.toLowerCase())) ??
        names.get('*') ??
        fingerprint
      );
    },
  };
}

let fromEnvironment: KeyNames | undefined;

/** The names of `HEADROOM_KEY_NAMES`, read once. */
export function environmentKeyNames(): KeyNames {
  fromEnvironment ??= parseKeyNames(process.env.HEADROOM_KEY_NAMES);
  return fromEnvironment;
}

/** For tests: read the environment again. */
export function resetEnvironmentKeyNames(): void {
  fromEnvironment = undefined;
}
