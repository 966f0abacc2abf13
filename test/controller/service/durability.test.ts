/**
 * The durability rule (docs/protocol.md "Sort confirmation"): a confirmation is ACKed only after
 * the journal commits it. The service declares what it needs of its sessions
 * (`SortService.requires`); a session whose options do not defer the ACK of confirmations is
 * refused, and a session built from the declaration ACKs a confirmation only at the commit.
 * Real sessions (core/protocol Session) over an in-memory link, fake time.
 */
import { describe, expect, it } from 'vitest';
import { SortlineError } from '../../../core/errors.js';
import {
  CODECS,
  Outcome,
  Session,
  memoryLinkPair,
  type SessionOptions,
} from '../../../core/protocol/index.js';
import {
  SERVICE_SESSION_REQUIREMENTS,
  type SortService,
} from '../../../controller/service/index.js';
import { flush, ManualClock, RawPeer } from '../../protocol/session/helpers.js';
import { label, makeService, read, request, spyRecorder } from './helpers.js';

const codec = CODECS.native;

/** A service with a manually committed recorder, and a real session (`options`) on gateway plc2. */
function wired(options: Partial<SessionOptions> | ((s: SortService) => Partial<SessionOptions>)) {
  const spy = spyRecorder();
  const s = makeService({ recorder: spy.recorder });
  if (typeof options === 'function') options = options(s.service);
  const port = s.service.attachGateway('plc2');
  const session = new Session(
    codec,
    { onMessage: (m, h, ack) => port.onMessage(m, h, ack) },
    options,
    new ManualClock(),
  );
  return { ...s, spy, port2: port, session };
}

describe('sort service durability: ACK after the journal commit', () => {
  it('declares that sessions must defer the ACK of sort confirmations', () => {
    const { service } = makeService();
    expect(service.requires).toBe(SERVICE_SESSION_REQUIREMENTS);
    expect(service.requires.deferAck).toEqual(['sortConfirmation']);
  });

  it.each([
    ['no deferAck', {}],
    ['deferAck of other types', { deferAck: ['chuteState', 'sortRequest'] } as const],
  ])(
    'refuses a session with %s (SORTLINE_ERR_SERVICE_SESSION_UNSAFE) and does not bind it',
    (_, o) => {
      const w = wired(o);
      let error: unknown = null;
      try {
        w.port2.bind(w.session);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SortlineError);
      expect((error as SortlineError).code).toBe('SORTLINE_ERR_SERVICE_SESSION_UNSAFE');
      expect((error as SortlineError).message).toContain("'sortConfirmation'");
      // not bound: a reply for this gateway finds no sender
      const before = w.service.stats.missingReplies;
      w.port2.onMessage(
        request(1, [read(label('210000'))]),
        { seq: 1, ackRequired: true, timestampMs: 0 },
        () => {},
      );
      expect(w.service.stats.missingReplies).toBe(before + 1);
    },
  );

  it('refuses a plain sender whose options defer nothing', () => {
    const { service } = makeService();
    const port = service.attachGateway('plc3');
    expect(() => port.bind({ send: () => true, options: { deferAck: [] } })).toThrow(/deferAck/);
  });

  it('with session options built from service.requires, a confirmation is ACKed only after the commit', async () => {
    const w = wired((service) => ({ ...service.requires }));
    w.port2.bind(w.session);
    const [a, b] = memoryLinkPair();
    const peer = new RawPeer(b, codec);
    w.session.attach(a);
    await flush();
    peer.sync(0, 1);
    await flush();
    const chute = w.machine.numbering.numberOf(0);
    peer.write(request(41, [read(label('210000'))]), 7);
    peer.write(
      { type: 'sortConfirmation', taskId: 41, turn: 1, chute, outcome: Outcome.DISCHARGED },
      8,
    );
    await flush();
    expect(w.spy.of('confirmation')).toHaveLength(1);
    expect(peer.acked()).toEqual([7]); // the request at once; the confirmation waits
    expect(peer.of('destinationReply')).toHaveLength(1);
    w.spy.commit();
    await flush();
    expect(peer.acked()).toEqual([7, 8]);
  });
});
