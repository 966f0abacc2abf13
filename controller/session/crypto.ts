/**
 * node:crypto behind the link handshake's primitives (core/protocol `LinkCrypto`): HMAC-SHA256
 * (RFC 2104), a CSPRNG, and a constant-time comparison.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LinkCrypto } from '../../core/protocol/index.js';

/** The primitives on Node.js. */
export const nodeLinkCrypto: LinkCrypto = {
  hmacSha256Hex: (key, data) => createHmac('sha256', key).update(data, 'utf8').digest('hex'),
  randomHex: (bytes) => randomBytes(bytes).toString('hex'),
  timingSafeEqualHex(a, b) {
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    // unequal lengths: compare x with itself so the time does not depend on the secret data
    if (x.length !== y.length) {
      timingSafeEqual(x, x);
      return false;
    }
    return timingSafeEqual(x, y);
  },
};
