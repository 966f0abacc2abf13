/**
 * A recorded gateway session, as both directions appear on a tap of the line: link sync after a
 * connect, sort requests with ACKs and destination replies, intermediate and terminal sort
 * confirmations, a recirculating parcel re-requesting on its next lap, chute state changes both
 * ways, a NAK and its resend, heartbeats. Deterministic; every message type appears.
 */
import { ChuteState } from '../../core/sorter/states.js';
import {
  NakReason,
  Outcome,
  ReadSource,
  ReplyStatus,
  type FrameHeader,
  type Message,
} from '../../core/protocol/index.js';
import { TS } from './samples.js';

export interface RecordedFrame {
  header: FrameHeader;
  message: Message;
}

/** The session: 77 frames (8 parcels). */
export function recordedSession(): RecordedFrame[] {
  const out: RecordedFrame[] = [];
  let plcSeq = 1000;
  let hostSeq = 1;
  let t = TS;
  const plc = (message: Message): number => {
    const seq = plcSeq++;
    out.push({ header: { seq, ackRequired: true, timestampMs: (t += 7) }, message });
    return seq;
  };
  const host = (message: Message): number => {
    const seq = hostSeq++;
    out.push({ header: { seq, ackRequired: true, timestampMs: (t += 3) }, message });
    return seq;
  };
  const control = (message: Message): void => {
    out.push({ header: { seq: 0, ackRequired: false, timestampMs: (t += 1) }, message });
  };

  control({ type: 'linkSync', lastReceivedSeq: 0, nextSendSeq: plcSeq });
  control({ type: 'linkSync', lastReceivedSeq: 0, nextSendSeq: hostSeq });
  control({
    type: 'ack',
    ackSeq: host({ type: 'chuteState', chute: 40, state: ChuteState.DISABLED }),
  });

  const reads = [
    [{ source: ReadSource.SCANNER, scanner: 1, data: ']C1403771-K23-05' }],
    [
      {
        source: ReadSource.SCANNER,
        scanner: 2,
        data: ']C10010614141234567890833020012504215281012AB\x1d403771-K23-05',
      },
    ],
    [{ source: ReadSource.RFID, scanner: 9, data: '3074257BF7194E4000001A85' }],
    [],
    [
      { source: ReadSource.SCANNER, scanner: 1, data: 'RR123456785CN' },
      {
        source: ReadSource.SCANNER,
        scanner: 3,
        data: ']Q1https://example.com/01/12312312312333?99=TEST',
      },
    ],
    [{ source: ReadSource.MANUAL, scanner: 30, data: '215000' }],
  ] as const;

  for (let k = 0; k < 8; k++) {
    const taskId = 4_000_000_000 + k * 977;
    const r = reads[k % reads.length]!;
    const req = plc({
      type: 'sortRequest',
      taskId,
      turn: 1,
      induct: k % 8,
      scanner: 1,
      carrier: (k * 37) % 400,
      reads: r.map((x) => ({ ...x })),
      weightG: 250 + k * 131,
      lengthMm: 300 + k,
      widthMm: 200,
      heightMm: k % 3 === 0 ? 0 : 120,
    });
    control({ type: 'ack', ackSeq: req });
    const noRead = r.length === 0;
    const reply = host({
      type: 'destinationReply',
      taskId,
      turn: 1,
      chutes: noRead ? [] : [1 + (k % 100), 101 + (k % 50)].slice(0, 1 + (k % 2)),
      exceptionChute: 400,
      status: noRead ? ReplyStatus.NO_READ : ReplyStatus.OK,
    });
    control({ type: 'ack', ackSeq: reply });
    if (k % 4 === 1) {
      // Chute full at the divert point: recirculate, re-request on the next lap.
      control({
        type: 'ack',
        ackSeq: plc({
          type: 'sortConfirmation',
          taskId,
          turn: 1,
          chute: 1 + (k % 100),
          outcome: Outcome.CHUTE_FULL,
        }),
      });
      control({
        type: 'ack',
        ackSeq: plc({ type: 'chuteState', chute: 1 + (k % 100), state: ChuteState.FULL, fill: 10 }),
      });
      const again = plc({
        type: 'sortRequest',
        taskId,
        turn: 2,
        induct: k % 8,
        scanner: 1,
        carrier: (k * 37) % 400,
        reads: r.map((x) => ({ ...x })),
        weightG: 250 + k * 131,
        lengthMm: 300 + k,
        widthMm: 200,
        heightMm: 120,
      });
      control({ type: 'ack', ackSeq: again });
      control({
        type: 'ack',
        ackSeq: host({
          type: 'destinationReply',
          taskId,
          turn: 2,
          chutes: [101 + (k % 50)],
          exceptionChute: 400,
          status: ReplyStatus.OK,
        }),
      });
      control({
        type: 'ack',
        ackSeq: plc({
          type: 'sortConfirmation',
          taskId,
          turn: 2,
          chute: 101 + (k % 50),
          outcome: Outcome.DISCHARGED,
        }),
      });
    } else if (k === 6) {
      // The PLC's CRC check failed on the host's confirmation: NAK, then the resend is ACKed.
      const seq = plc({
        type: 'sortConfirmation',
        taskId,
        turn: 1,
        chute: 400,
        outcome: Outcome.LATE_REPLY,
      });
      control({ type: 'nak', nakSeq: seq, reason: NakReason.CHECKSUM });
      out.push({ ...out[out.length - 2]! });
      control({ type: 'ack', ackSeq: seq });
    } else {
      control({
        type: 'ack',
        ackSeq: plc({
          type: 'sortConfirmation',
          taskId,
          turn: 1,
          chute: noRead ? 400 : 1 + (k % 100),
          outcome: Outcome.DISCHARGED,
        }),
      });
    }
    if (k % 5 === 4) {
      control({ type: 'heartbeat' });
      control({ type: 'heartbeat' });
    }
  }
  control({
    type: 'ack',
    ackSeq: plc({ type: 'chuteState', chute: 2, state: ChuteState.OPEN, fill: 0 }),
  });
  control({ type: 'ack', ackSeq: host({ type: 'chuteState', chute: 40, state: ChuteState.OPEN }) });
  control({ type: 'heartbeat' });
  return out;
}
