/**
 * Sequence-number arithmetic for the session layer (docs/protocol.md "Sequence numbers").
 * Numbers run 1..maxSeq and wrap back to 1; 0 means "none" (control frames, "nothing received
 * yet"). `maxSeq` is the codec's (0xFFFFFFFF native/NDJSON, 999,999 telegram). Comparisons use
 * serial-number arithmetic in the manner of RFC 1982: `a` is after `b` when it lies less than half
 * the number space ahead of it.
 */

/** The sequence number after `seq`: seq + 1, or 1 after `maxSeq` (0 is never used for a frame). */
export function nextSeq(seq: number, maxSeq: number): number {
  return seq >= maxSeq ? 1 : seq + 1;
}

/** Steps from `b` forward to `a` in the ring 1..maxSeq (0 when equal). Both must be 1..maxSeq. */
export function seqDistance(a: number, b: number, maxSeq: number): number {
  return a >= b ? a - b : a + maxSeq - b;
}

/** True when `a` comes after `b` (within half the number space ahead). Both must be 1..maxSeq. */
export function seqAfter(a: number, b: number, maxSeq: number): boolean {
  const d = seqDistance(a, b, maxSeq);
  return d !== 0 && d < maxSeq / 2;
}
