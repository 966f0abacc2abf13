/**
 * Frame fingerprints: a 32-bit hash of a business frame's header timestamp and key fields. A
 * resend is the same bytes (docs/protocol.md "Sending, ACK and resend"), so it has the same
 * fingerprint; a frame that reuses a sequence number with other content (a peer that restarted
 * its numbering without a link sync) almost surely has another. Allocation-free.
 */
import type { BusinessMessage } from './handler.js';

/** MurmurHash3's 32-bit mixing step (Appleby), folding `k` into `h`. */
function mix(h: number, k: number): number {
  k = Math.imul(k | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Folds the UTF-16 code units of `s` into `h`. */
function mixString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return mix(h, s.length);
}

/**
 * The fingerprint of business message `m` sent with header timestamp `timestampMs` (ms; 0 = no
 * clock): an unsigned 32-bit integer, never 0.
 */
export function frameFingerprint(m: BusinessMessage, timestampMs: number): number {
  let h = mix(0x5eed, timestampMs % 0x100000000);
  h = mix(h, Math.floor(timestampMs / 0x100000000));
  switch (m.type) {
    case 'sortRequest': {
      h = mix(mix(mix(mix(h, 1), m.taskId), m.turn), m.carrier);
      h = mix(mix(mix(h, m.induct), m.scanner), m.weightG);
      const reads = m.reads;
      for (let i = 0; i < reads.length; i++) {
        const r = reads[i]!;
        h = mixString(mix(mix(h, r.source), r.scanner), r.data);
      }
      break;
    }
    case 'destinationReply': {
      h = mix(mix(mix(mix(mix(h, 2), m.taskId), m.turn), m.status), m.exceptionChute);
      const chutes = m.chutes;
      for (let i = 0; i < chutes.length; i++) h = mix(h, chutes[i]!);
      break;
    }
    case 'sortConfirmation':
      h = mix(mix(mix(mix(mix(h, 3), m.taskId), m.turn), m.chute), m.outcome);
      break;
    case 'chuteState':
      h = mix(mix(mix(mix(h, 4), m.chute), m.state), m.fill ?? -1);
      break;
  }
  const f = finish(h) >>> 0;
  return f === 0 ? 1 : f;
}
