import type { Connection } from '../live/live-store';

const TEXT: Readonly<Record<Connection, string>> = {
  connecting: 'Connecting to the collector…',
  live: 'Live',
  retrying: 'Disconnected — retrying',
};

/**
 * The live stream's state, in words (the dot's colour only repeats them). A polite status:
 * read out when it changes, not on every frame.
 */
export function ConnectionStatus({ connection }: { connection: Connection }) {
  return (
    <p
      className={`connection connection-${connection}`}
      role="status"
      data-testid="connection-status"
      data-state={connection}
    >
      <span className="connection-dot" aria-hidden="true" />
      {TEXT[connection]}
    </p>
  );
}
