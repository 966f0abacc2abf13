/**
 * Link authentication by a shared secret per gateway, in the link-sync handshake
 * (docs/protocol.md "Authentication"): a challenge and response over HMAC-SHA256 (RFC 2104,
 * FIPS 180-4), verified in constant time.
 *
 * 1. The controller's link sync carries a fresh random `nonce`: the challenge.
 * 2. The PLC answers it with a link sync carrying its own `nonce` and
 *    `proof = HMAC-SHA256(secret, "sortline-link-sync-v1\n" challenge "\n" nonce "\n"
 *    lastReceivedSeq "\n" nextSendSeq)` as lowercase hex (see {@link linkProofInput}).
 * 3. The controller accepts the link only when the proof is right: a replayed proof answers an
 *    old challenge and fails.
 *
 * Pure: the hash, the random source and the comparison are injected ({@link LinkCrypto}), so the
 * session state machines stay free of I/O and run anywhere; on Node.js they are node:crypto's
 * `createHmac`, `randomBytes` and `timingSafeEqual`.
 */
import { SortlineError } from '../../errors.js';
import type { LinkSync } from '../messages.js';
import { LINK_NONCE_HEX } from '../object-body.js';

/** The cryptographic primitives the handshake needs. */
export interface LinkCrypto {
  /** HMAC-SHA256 of `data` (UTF-8) under `key` (UTF-8), as 64 lowercase hex digits. */
  hmacSha256Hex(key: string, data: string): string;
  /** `bytes` bytes from a cryptographically secure source, as lowercase hex. */
  randomHex(bytes: number): string;
  /** True when the two hex strings are equal, in time independent of where they differ. */
  timingSafeEqualHex(a: string, b: string): boolean;
}

/** Shortest shared secret accepted, in characters. */
export const MIN_SECRET_CHARS = 16;

/** What a session uses to take part in the handshake. */
export interface LinkAuthenticator {
  /** `host` challenges and verifies (the controller); `plc` answers challenges. */
  readonly role: 'host' | 'plc';
  /** A fresh random nonce: 32 lowercase hex digits. */
  nonce(): string;
  /** The proof of `sync`'s fields answering `challenge` (64 lowercase hex digits). */
  proof(challenge: string, nonce: string, lastReceivedSeq: number, nextSendSeq: number): string;
  /** True when `sync` carries a right proof for `challenge` (constant-time comparison). */
  verify(challenge: string, sync: LinkSync): boolean;
}

/** The bytes the proof is the HMAC of (UTF-8): one line per field, fixed order. */
export function linkProofInput(
  challenge: string,
  nonce: string,
  lastReceivedSeq: number,
  nextSendSeq: number,
): string {
  return `sortline-link-sync-v1\n${challenge}\n${nonce}\n${lastReceivedSeq}\n${nextSendSeq}`;
}

/**
 * An authenticator for `role` with the gateway's shared `secret`.
 * @throws SortlineError `SORTLINE_ERR_SESSION_BAD_OPTION` when the secret is shorter than
 *   {@link MIN_SECRET_CHARS} characters (the message never quotes it).
 */
export function createLinkAuthenticator(
  role: 'host' | 'plc',
  secret: string,
  crypto: LinkCrypto,
): LinkAuthenticator {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_CHARS) {
    throw new SortlineError(
      'SORTLINE_ERR_SESSION_BAD_OPTION',
      `secret: expected a shared secret of at least ${MIN_SECRET_CHARS} characters, got ${typeof secret === 'string' ? `${secret.length}` : 'none'}`,
    );
  }
  const proof = (challenge: string, nonce: string, last: number, next: number): string =>
    crypto.hmacSha256Hex(secret, linkProofInput(challenge, nonce, last, next));
  return {
    role,
    nonce: () => crypto.randomHex(LINK_NONCE_HEX / 2),
    proof,
    verify(challenge, sync) {
      if (sync.nonce === undefined || sync.proof === undefined) return false;
      const expected = proof(challenge, sync.nonce, sync.lastReceivedSeq, sync.nextSendSeq);
      return crypto.timingSafeEqualHex(expected, sync.proof);
    },
  };
}
