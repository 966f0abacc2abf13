/**
 * Connections offered to a session (`Session.offer`, the controller's side) that have not yet
 * completed their link sync (docs/protocol.md "One link per gateway", "Authentication"). Each has
 * its own decoder; nothing it sends reaches the owner before its link sync (with a right proof of
 * the gateway secret when the session authenticates), then the session attaches it or refuses it.
 * Bounded: at most `maxCandidates` at a time, `handshakeTimeoutMs` each, and
 * {@link MAX_HANDSHAKE_BYTES} received before the sync.
 */
import { NakReason } from '../codes.js';
import type { StreamDecoder } from '../faults.js';
import type { Link } from './link.js';
import type { Session } from './session.js';

/** Bytes a connection may send before its link sync. */
export const MAX_HANDSHAKE_BYTES = 64 * 1024;

/** A connection waiting for its link sync. */
export interface Candidate {
  readonly link: Link;
  readonly decoder: StreamDecoder;
  /** The challenge sent to it (a host with auth), else ''. */
  readonly challenge: string;
  /** Clock ms it was offered. */
  readonly since: number;
  /** Bytes received from it so far. */
  bytes: number;
  /** Business frames answered NAK resync so far. */
  refused: number;
}

/** The candidates of one session. */
export class Candidates {
  private readonly list: Candidate[] = [];

  constructor(private readonly session: Session) {}

  get size(): number {
    return this.list.length;
  }

  /** A new candidate for `link`, or null (and the link destroyed) past `maxCandidates`. */
  add(link: Link, decoder: StreamDecoder): Candidate | null {
    const s = this.session;
    if (this.list.length >= s.options.maxCandidates) {
      s.stats.handshakeFailures++;
      s.fault(
        'session',
        'SORTLINE_ERR_SESSION_HANDSHAKE',
        `${link.remote} refused: ${this.list.length} connections already wait for their link sync (maxCandidates)`,
        -1,
      );
      link.destroy('SORTLINE_ERR_SESSION_HANDSHAKE: too many connections waiting for a link sync');
      return null;
    }
    const auth = s.options.auth;
    const c: Candidate = {
      link,
      decoder,
      challenge: auth !== null && auth.role === 'host' ? auth.nonce() : '',
      since: s.clock.now(),
      bytes: 0,
      refused: 0,
    };
    this.list.push(c);
    return c;
  }

  /** Bytes from candidate `link`: a link sync completes it; business frames get NAK resync. */
  data(link: Link, chunk: Uint8Array): void {
    const c = this.find(link);
    if (c === undefined) return;
    const s = this.session;
    s.stats.bytesIn += chunk.length;
    c.bytes += chunk.length;
    if (c.bytes > MAX_HANDSHAKE_BYTES) {
      this.fail(c, `sent ${c.bytes} bytes without a link sync (at most ${MAX_HANDSHAKE_BYTES})`);
      return;
    }
    c.decoder.push(chunk);
    const auth = s.options.auth;
    for (;;) {
      const r = c.decoder.next();
      if (r === null) return;
      if (r.kind === 'fault') continue; // a stranger's garbage: not answered
      s.stats.framesIn++;
      const m = r.message;
      if (m.type === 'linkSync') {
        if (auth !== null && auth.role === 'host') {
          if (m.proof === undefined) continue; // its hello: our challenge is on its way
          if (!auth.verify(c.challenge, m)) {
            s.stats.authFailures++;
            this.remove(c);
            s.fault(
              'session',
              'SORTLINE_ERR_SESSION_AUTH_FAILED',
              `the link sync from ${link.remote} does not prove the gateway secret; connection closed`,
              -1,
            );
            link.destroy('SORTLINE_ERR_SESSION_AUTH_FAILED: wrong proof of the gateway secret');
            return;
          }
        }
        this.remove(c);
        s.promote(c, m);
        return;
      }
      if (m.type === 'ack' || m.type === 'nak' || m.type === 'heartbeat' || !r.ackRequired)
        continue;
      if (r.seq === 0) continue;
      s.stats.unsyncedFrames++;
      s.writeNak(link, r.seq, NakReason.RESYNC);
      if (c.refused++ === 0)
        s.fault(
          'session',
          'SORTLINE_ERR_SESSION_SYNC_REQUIRED',
          `${link.remote} sent ${m.type} ${r.seq} before its link sync${auth !== null ? ' (with a proof of the gateway secret)' : ''}; answered NAK resync`,
          r.seq,
        );
    }
  }

  /** Candidate `link` closed. */
  closed(link: Link): void {
    const c = this.find(link);
    if (c !== undefined) this.remove(c);
  }

  /** Closes candidates whose handshake time is up; the next deadline (Infinity: none). */
  expire(now: number): number {
    const timeout = this.session.options.handshakeTimeoutMs;
    for (const c of [...this.list]) {
      if (now - c.since >= timeout) {
        const auth = this.session.options.auth;
        this.fail(
          c,
          `no link sync${auth !== null ? ' with a proof of the gateway secret' : ''} within ${timeout} ms${auth !== null ? ' (is the same secret configured on the PLC?)' : ''}`,
        );
      }
    }
    return this.nextDeadline();
  }

  /** The earliest handshake deadline (Infinity: none). */
  nextDeadline(): number {
    let next = Infinity;
    const timeout = this.session.options.handshakeTimeoutMs;
    for (const c of this.list) next = Math.min(next, c.since + timeout);
    return next;
  }

  /** Closes every candidate. */
  closeAll(reason: string): void {
    for (const c of this.list.splice(0)) c.link.destroy(reason);
  }

  private fail(c: Candidate, why: string): void {
    const s = this.session;
    s.stats.handshakeFailures++;
    this.remove(c);
    s.fault('session', 'SORTLINE_ERR_SESSION_HANDSHAKE', `${c.link.remote}: ${why}; closed`, -1);
    c.link.destroy(`SORTLINE_ERR_SESSION_HANDSHAKE: ${why}`);
  }

  private find(link: Link): Candidate | undefined {
    for (const c of this.list) if (c.link === link) return c;
    return undefined;
  }

  private remove(c: Candidate): void {
    const i = this.list.indexOf(c);
    if (i >= 0) this.list.splice(i, 1);
  }
}
