import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ContextConsumer } from '@lit/context';
import { liveContext } from '../app/contexts.js';
import type { LiveConnection, LiveStatus, LiveStatusEvent } from '../app/live-connection.js';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * The live connection's status for an element that shows it (the shell's "connection lost" bar, a
 * meeting's live room): follows the connection the shell provides, and the host renders again on
 * each change. `onStatus` hears a change before the host renders it.
 */
export class LiveStatusController implements ReactiveController {
  status: LiveStatus;
  /** The connection followed, for what the host sends over it (typing in a chat). */
  connection: LiveConnection | null = null;

  constructor(
    private readonly host: Host,
    private readonly options: { initial: LiveStatus; onStatus?: (status: LiveStatus) => void },
  ) {
    this.status = options.initial;
    host.addController(this);
    new ContextConsumer(host, { context: liveContext, subscribe: true, callback: (connection) => this.follow(connection ?? null) });
  }

  hostDisconnected(): void {
    this.follow(null);
  }

  private follow(connection: LiveConnection | null) {
    this.connection?.removeEventListener('live-status', this.onStatus);
    this.connection = connection;
    connection?.addEventListener('live-status', this.onStatus);
    this.status = connection?.status ?? this.options.initial;
    this.host.requestUpdate();
  }

  private onStatus = (event: LiveStatusEvent) => {
    this.options.onStatus?.(event.status);
    this.status = event.status;
    this.host.requestUpdate();
  };
}
