/** Helpers of the serve tests: a PLC stand-in over a real session client, and waiting for a condition. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import {
  codecByName,
  type DestinationReply,
  type DialectName,
  type Message,
  type SessionClient,
} from '../../../core/protocol/index.js';
import { connectSession } from '../../../controller/session/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sortline-serve-'));
  dirs.push(d);
  return d;
}

/** Resolves once `ok()` holds, polling every 5 ms; rejects after `limitMs` (a bound, not a measurement). */
export async function until(ok: () => boolean, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A PLC: a dialling session that keeps every message the controller sends. */
export function plc(
  url: string,
  dialect: DialectName = 'native',
): { client: SessionClient; received: Message[]; replies: () => DestinationReply[] } {
  const received: Message[] = [];
  const client = connectSession(
    url,
    codecByName(dialect),
    { onMessage: (m) => void received.push(m) },
    { reconnect: { initialDelayMs: 20, maxDelayMs: 200 } },
  );
  return {
    client,
    received,
    replies: () => received.filter((m): m is DestinationReply => m.type === 'destinationReply'),
  };
}
