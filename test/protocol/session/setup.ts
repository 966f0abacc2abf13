/**
 * A session on one end of an in-memory link pair, a scripted raw peer on the other, fake time.
 */
import {
  type Codec,
  Session,
  type SessionOptions,
  memoryLinkPair,
  type MemoryLink,
} from '../../../core/protocol/index.js';
import { flush, ManualClock, RawPeer, Recorder } from './helpers.js';

export interface Rig {
  clock: ManualClock;
  rec: Recorder;
  session: Session;
  /** The session's end. */
  a: MemoryLink;
  /** The raw peer's end. */
  b: MemoryLink;
  peer: RawPeer;
}

/** A session attached to a fresh link; the peer has received its link sync. With `sync`, the peer answered with one. */
export async function rig(
  codec: Codec,
  options: Partial<SessionOptions> = {},
  sync = true,
  rec = new Recorder(),
): Promise<Rig> {
  const clock = new ManualClock();
  const session = new Session(codec, rec, options, clock);
  const [a, b] = memoryLinkPair();
  const peer = new RawPeer(b, codec);
  session.attach(a);
  await flush();
  if (sync) {
    peer.sync(0, 1);
    await flush();
  }
  return { clock, rec, session, a, b, peer };
}

/** Attaches a fresh link pair to `r.session` and a new raw peer on it (the old ones are left as they are). */
export async function reattach(r: Rig, sync: { last: number; next: number } | null): Promise<Rig> {
  const [a, b] = memoryLinkPair();
  const peer = new RawPeer(b, r.peer.codec);
  r.session.attach(a);
  await flush();
  if (sync !== null) {
    peer.sync(sync.last, sync.next);
    await flush();
  }
  return { ...r, a, b, peer };
}
