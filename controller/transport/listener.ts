/**
 * What a transport's `listen` hands back, and the callback it calls for every connection.
 */
import type { Link } from '../../core/protocol/index.js';

/** What `listen` returns. */
export interface Listener {
  /** The address actually bound, as a URL (port 0 replaced by the port chosen): `tcp://127.0.0.1:40123`. */
  readonly address: string;
  /** Stops accepting, closes the links it accepted, resolves when everything is closed. Idempotent. */
  close(): Promise<void>;
}

/** Called by a listener for every accepted connection (a serial listener: for every opening of the device). */
export type OnLink = (link: Link) => void;
