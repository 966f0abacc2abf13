/**
 * Counters of one session, updated in place (read them at any time; export them as metrics).
 */

/** Session counters. Totals count since the session was made; `queued` and `inFlight` are gauges. */
export interface SessionStats {
  /** Frames decoded from the peer (every type). */
  framesIn: number;
  /** Frames written to links (every type, resends included). */
  framesOut: number;
  /** Bytes received. */
  bytesIn: number;
  /** Bytes written (resends included). */
  bytesOut: number;
  /** Business messages delivered to the handler. */
  delivered: number;
  /** Business messages accepted by `send()`. */
  sent: number;
  /** `send()` calls refused because the queue was full. */
  refused: number;
  /** ACKs received that acknowledged a frame of ours. */
  acksIn: number;
  /** ACKs written. */
  acksOut: number;
  /** NAKs received. */
  naksIn: number;
  /** NAKs written (decode faults with a sequence number, busy). */
  naksOut: number;
  /** Frames written again: resend timeouts, NAK checksum, retransmission after a reconnect. */
  resends: number;
  /** Received business frames already delivered (suppressed). */
  duplicates: number;
  /** Faults reported to `onFault` (decode faults, link faults, session faults). */
  faults: number;
  /** Received bytes discarded by the decoders (garbage, bad and oversized frames). */
  bytesDiscarded: number;
  /** Heartbeats received. */
  heartbeatsIn: number;
  /** Heartbeats written. */
  heartbeatsOut: number;
  /** Link syncs received. */
  linkSyncsIn: number;
  /** Links attached. */
  linkUps: number;
  /** Links gone (closed, dead, idle, replaced, detached). */
  linkDowns: number;
  /** Links declared dead: no ACK after the resends, or idle timeout. */
  linkDeaths: number;
  /** Our messages the peer refused with a NAK that forbids resending (dropped). */
  rejected: number;
  /** ACKs or NAKs naming a sequence number we have no frame for. */
  strays: number;
  /** Times the peer's numbering restarted (receive window reset). */
  peerResets: number;
  /** Handler calls that threw. */
  handlerErrors: number;
  /** Holes in the peer's numbering given up because the peer no longer holds them (docs/protocol.md "Holes"). */
  holesSkipped: number;
  /** Received business frames refused for good (NAK malformed, unsupported, too large, clock), their numbers settled. */
  framesRefused: number;
  /** Business frames answered NAK `resync`: no link sync from the peer on this connection yet. */
  unsyncedFrames: number;
  /** Business frames reusing a sequence number with other content (the peer restarted without a link sync): NAK `resync`. */
  reusedSeqs: number;
  /** Business frames refused for a header timestamp outside `clockWindowMs` (NAK `clock`). */
  clockRefused: number;
  /** Truncated frames discarded after the line stayed quiet `partialFrameTimeoutMs`. */
  partialFramesDiscarded: number;
  /** Times reading from the peer was paused because it did not read what we wrote. */
  readPauses: number;
  /** Links dropped because the peer did not read (`SORTLINE_ERR_SESSION_PEER_NOT_READING`). */
  notReading: number;
  /** Link resets after the receive window stayed held (`SORTLINE_ERR_SESSION_WINDOW_STALL`). */
  windowStalls: number;
  /** Offered connections (`offer`). */
  offered: number;
  /** Link syncs with a wrong or missing proof (`SORTLINE_ERR_SESSION_AUTH_FAILED`). */
  authFailures: number;
  /** Second peers refused while the current link is alive (`SORTLINE_ERR_SESSION_SECOND_PEER`). */
  refusedPeers: number;
  /** Offered connections closed without a link sync in time, or over the candidate limit. */
  handshakeFailures: number;
  /** Gauge: messages accepted by `send()` and never written yet. */
  queued: number;
  /** Gauge: messages written at least once and not yet acknowledged. */
  inFlight: number;
}

/** A zeroed {@link SessionStats}. */
export function createSessionStats(): SessionStats {
  return {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    delivered: 0,
    sent: 0,
    refused: 0,
    acksIn: 0,
    acksOut: 0,
    naksIn: 0,
    naksOut: 0,
    resends: 0,
    duplicates: 0,
    faults: 0,
    bytesDiscarded: 0,
    heartbeatsIn: 0,
    heartbeatsOut: 0,
    linkSyncsIn: 0,
    linkUps: 0,
    linkDowns: 0,
    linkDeaths: 0,
    rejected: 0,
    strays: 0,
    peerResets: 0,
    handlerErrors: 0,
    holesSkipped: 0,
    framesRefused: 0,
    unsyncedFrames: 0,
    reusedSeqs: 0,
    clockRefused: 0,
    partialFramesDiscarded: 0,
    readPauses: 0,
    notReading: 0,
    windowStalls: 0,
    offered: 0,
    authFailures: 0,
    refusedPeers: 0,
    handshakeFailures: 0,
    queued: 0,
    inFlight: 0,
  };
}
