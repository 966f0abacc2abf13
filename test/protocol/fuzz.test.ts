/**
 * Acceptance (issue 4): at least 100,000 fuzzed frames per dialect give messages or coded faults,
 * never an exception, and the decoder's buffer never exceeds its bound. Seeded, bounded by count.
 *
 * Each fuzzed frame is a valid frame mutated at the byte level (bit flips, byte changes,
 * insertions, deletions, truncation, duplication, splices of two frames), often with its checksums
 * recomputed so the mutation reaches the header and body checks; a structurally mutated body
 * (random keys and values of every MessagePack/JSON type, random telegram characters); random
 * bytes; or an untouched frame. The frames of a batch form one stream fed in random chunks.
 */
import { describe, expect, it } from 'vitest';
import { pack } from 'msgpackr';
import {
  CODECS,
  DIALECT_NAMES,
  FAULT_CODES,
  MESSAGE_TYPE_CODES,
  messageToFieldMapForTest,
  type Codec,
  type Message,
} from './fuzz-support.js';
import { fixNativeCrcs, fixTelegramBcc, nativeFrame } from './build.js';
import { recordedSession } from './session.js';
import { concat } from '../bytes.js';

const FRAMES_PER_DIALECT = 100_000;
const BATCH = 2_000;
const CODES = new Set<string>(Object.values(FAULT_CODES));

/** mulberry32: a small seeded PRNG (public domain), uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Fuzzer {
  private readonly r: () => number;
  constructor(
    seed: number,
    private readonly codec: Codec,
    private readonly valid: { message: Message; bytes: Uint8Array }[],
  ) {
    this.r = prng(seed);
  }

  int(n: number): number {
    return Math.floor(this.r() * n);
  }

  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }

  /** A random value of any JSON/MessagePack type, biased towards edges of the field limits. */
  value(depth = 0): unknown {
    switch (this.int(depth > 1 ? 9 : 12)) {
      case 0:
        return this.pick([
          0,
          1,
          -1,
          255,
          256,
          65535,
          65536,
          999_999,
          1_000_000,
          4294967295,
          4294967296,
          2 ** 53,
        ]);
      case 1:
        return this.int(70_000);
      case 2:
        return this.r() * 1000 - 500;
      case 3:
        return this.pick([
          '',
          'ok',
          'scanner',
          'rfid',
          'manual',
          'full',
          'discharged',
          'checksum',
          'x'.repeat(257),
          '\ud800',
          '苏',
          '\x1d',
        ]);
      case 4:
        return this.pick([null, true, false]);
      case 5:
        return this.pick([Number.NaN, Number.POSITIVE_INFINITY, -0]);
      case 6:
        return String.fromCharCode(...Array.from({ length: this.int(20) }, () => this.int(0x3000)));
      case 7:
        return this.pick([this.int(2 ** 53), -this.int(2 ** 31)]);
      case 8:
        return this.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 17, 18, 19, 20]);
      case 9:
        return Array.from({ length: this.int(10) }, () => this.value(depth + 1));
      case 10:
        return Object.fromEntries(
          Array.from({ length: this.int(4) }, () => [
            this.pick(['source', 'scanner', 'data', 'x', '__proto__']),
            this.value(depth + 1),
          ]),
        );
      default:
        return { source: this.int(4), scanner: this.int(70_000), data: this.value(depth + 1) };
    }
  }

  /** A field map of a random valid message with a few keys changed, removed or added. */
  mutatedMap(names: boolean): { type: number; map: Record<string, unknown> } {
    const { message } = this.pick(this.valid);
    const map: Record<string, unknown> = messageToFieldMapForTest(message, names);
    const keys = Object.keys(map);
    for (let k = 1 + this.int(2); k > 0; k--) {
      const op = this.int(4);
      if (op === 0 && keys.length > 0) delete map[this.pick(keys)];
      else if (op === 1)
        map[this.pick(['extra', 'Seq', 'type', 'chutes', 'reads', 'fill'])] = this.value();
      else if (keys.length > 0) map[this.pick(keys)] = this.value();
    }
    return { type: MESSAGE_TYPE_CODES[message.type], map };
  }

  /** One fuzzed frame. */
  frame(): Uint8Array {
    const kind = this.int(20);
    if (kind === 0) return this.pick(this.valid).bytes;
    if (kind === 1) return this.randomBytes();
    if (kind <= 5) return this.structural();
    let b: Uint8Array = Uint8Array.from(this.pick(this.valid).bytes);
    for (let m = 1 + this.int(3); m > 0; m--) b = this.mutate(b);
    if (this.int(2) === 0) {
      if (this.codec.name === 'native') fixNativeCrcs(b);
      else if (this.codec.name === 'telegram') fixTelegramBcc(b);
    }
    return b;
  }

  private randomBytes(): Uint8Array {
    const special = [0xc1, 0x53, 0x02, 0x03, 0x0a, 0x0d, 0x7b, 0x7d, 0x22, 0x30];
    return Uint8Array.from({ length: 1 + this.int(300) }, () =>
      this.int(3) === 0 ? this.pick(special) : this.int(256),
    );
  }

  private structural(): Uint8Array {
    const name = this.codec.name;
    if (name === 'native') {
      const { type, map } = this.mutatedMap(false);
      let body: Uint8Array;
      try {
        body = Uint8Array.from(pack(map));
      } catch {
        body = new Uint8Array([0x80]);
      }
      return nativeFrame(this.int(8) === 0 ? this.int(32) : type, body, {
        seq: this.int(2 ** 32),
        flags: this.int(8) === 0 ? this.int(256) : 1,
      });
    }
    if (name === 'ndjson') {
      const { map } = this.mutatedMap(true);
      const { message } = this.pick(this.valid);
      const line = {
        type: this.int(10) === 0 ? this.value() : message.type,
        seq: this.int(10) === 0 ? this.value() : this.int(1000),
        ...map,
      };
      let text: string;
      try {
        text = JSON.stringify(line) ?? 'null';
      } catch {
        text = '{}';
      }
      return new TextEncoder().encode(text + '\n');
    }
    // telegram: random characters in the fields, BCC recomputed
    const b = Uint8Array.from(this.pick(this.valid).bytes);
    for (let k = 1 + this.int(3); k > 0; k--) {
      b[1 + this.int(b.length - 4)] = this.pick([
        0x20,
        0x30 + this.int(10),
        0x30 + this.int(10),
        0x41 + this.int(26),
        0x1d,
        this.int(128),
      ]);
    }
    fixTelegramBcc(b);
    return b;
  }

  private mutate(b: Uint8Array): Uint8Array {
    const n = b.length;
    const at = this.int(n + 1);
    switch (this.int(7)) {
      case 0: {
        const c = Uint8Array.from(b);
        if (n > 0) c[Math.min(at, n - 1)]! ^= 1 << this.int(8);
        return c;
      }
      case 1: {
        const c = Uint8Array.from(b);
        if (n > 0) c[Math.min(at, n - 1)] = this.int(256);
        return c;
      }
      case 2:
        return concat([
          b.subarray(0, at),
          Uint8Array.from({ length: 1 + this.int(8) }, () => this.int(256)),
          b.subarray(at),
        ]);
      case 3:
        return concat([b.subarray(0, at), b.subarray(Math.min(n, at + 1 + this.int(16)))]);
      case 4:
        return b.subarray(0, at);
      case 5:
        return concat([b.subarray(0, at), b.subarray(this.int(n + 1))]);
      default: {
        const other = this.pick(this.valid).bytes;
        return concat([b.subarray(0, at), other.subarray(this.int(other.length + 1))]);
      }
    }
  }
}

function validFrames(codec: Codec): { message: Message; bytes: Uint8Array }[] {
  return recordedSession().map((f) => ({
    message: f.message,
    bytes: codec.encode(f.message, f.header),
  }));
}

describe('fuzzing', () => {
  for (const name of DIALECT_NAMES) {
    it(`${name}: ${FRAMES_PER_DIALECT.toLocaleString('en')} fuzzed frames give frames or coded faults, with a bounded buffer`, () => {
      const codec = CODECS[name];
      const valid = validFrames(codec);
      const fuzz = new Fuzzer(0x5eed + name.length, codec, valid);
      const small = { native: 96, telegram: codec.minMaxFrameBytes, ndjson: 256 }[name];
      const seen = new Map<string, number>();
      let frames = 0;
      let recovered = 0;
      for (let done = 0; done < FRAMES_PER_DIALECT; done += BATCH) {
        const dec = codec.createDecoder(
          done % (4 * BATCH) === 0 ? { maxFrameBytes: small } : undefined,
        );
        let pushed = 0;
        let results = 0;
        const drain = (): void => {
          for (let r = dec.next(); r !== null; r = dec.next()) {
            results++;
            if (dec.bufferedBytes > dec.maxFrameBytes)
              expect.fail(`buffer ${dec.bufferedBytes} > ${dec.maxFrameBytes}`);
            if (r.kind === 'fault') {
              if (!CODES.has(r.code) || !(r.offset >= 0 && r.offset < pushed) || r.message === '')
                expect.fail(`bad fault ${JSON.stringify(r)}`);
              seen.set(r.code, (seen.get(r.code) ?? 0) + 1);
            } else {
              frames++;
              // A decoded message is valid: it encodes again and decodes to itself.
              const again = codec.createDecoder();
              again.push(codec.encode(r.message, r));
              const back = again.next();
              if (
                back === null ||
                back.kind !== 'frame' ||
                JSON.stringify(back.message) !== JSON.stringify(r.message)
              ) {
                expect.fail(`decoded message does not round-trip: ${JSON.stringify(r.message)}`);
              }
            }
          }
        };
        let pending: Uint8Array[] = [];
        for (let i = 0; i < BATCH; i++) {
          pending.push(fuzz.frame());
          if (fuzz.int(3) === 0 || i === BATCH - 1) {
            // Feed the pending frames as one stream cut into random chunks.
            const stream = concat(pending);
            pending = [];
            for (let o = 0; o < stream.length;) {
              const n = 1 + fuzz.int(600);
              dec.push(stream.subarray(o, o + n));
              pushed += Math.min(n, stream.length - o);
              o += n;
              drain();
              if (dec.bufferedBytes > dec.maxFrameBytes)
                expect.fail(`buffer ${dec.bufferedBytes} > ${dec.maxFrameBytes}`);
            }
          }
        }
        expect(dec.stats.frames + dec.stats.faults).toBe(results);
        expect(dec.stats.bytesDiscarded).toBeLessThanOrEqual(pushed);
        // After end(), the same decoder takes a good frame again.
        const tail = dec.end();
        if (tail !== null) expect(tail.code).toBe('SORTLINE_ERR_PROTOCOL_TRUNCATED');
        dec.push(valid[0]!.bytes);
        const r = dec.next();
        if (r !== null && r.kind === 'frame') recovered++;
      }
      expect(recovered).toBe(FRAMES_PER_DIALECT / BATCH);
      // The fuzz reached deep: good frames and many distinct fault codes came out.
      expect(frames).toBeGreaterThan(FRAMES_PER_DIALECT / 40);
      expect(seen.size).toBeGreaterThanOrEqual(name === 'ndjson' ? 5 : 7);
      expect(seen.has('SORTLINE_ERR_PROTOCOL_BAD_FIELD')).toBe(true);
    });
  }
});
