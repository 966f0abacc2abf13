/**
 * Opening a data directory: a file that is not a journal (another program's SQLite database, a
 * text file, a journal of a newer Sortline) is refused before anything writes to it — same bytes,
 * no WAL switch, no `-wal`/`-shm`, no lock left behind.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../controller/journal/index.js';
import { tempDir } from './helpers.js';

/** A file's bytes and the directory listing, to compare before and after. */
function snapshot(dir: string): { files: string[]; bytes: Buffer } {
  return { files: readdirSync(dir).sort(), bytes: readFileSync(path.join(dir, 'journal.sqlite')) };
}

describe('journal: opening a file that is not a journal', () => {
  it("refuses another program's SQLite database without modifying it", () => {
    const dir = tempDir();
    const file = Journal.pathOf(dir);
    const db = new Sqlite(file);
    db.exec(
      "CREATE TABLE parcels (id INTEGER PRIMARY KEY, label TEXT); INSERT INTO parcels (label) VALUES ('a')",
    );
    db.close();
    const before = snapshot(dir);
    expect(before.files).toEqual(['journal.sqlite']);
    expect(() => Journal.open({ dir })).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_JOURNAL_SCHEMA' }),
    );
    const after = snapshot(dir);
    expect(after.files).toEqual(before.files); // no -wal, -shm or journal.lock
    expect(after.bytes.equals(before.bytes)).toBe(true); // still in rollback mode: header bytes 18–19 are 1, not 2 (WAL)
    expect([after.bytes[18], after.bytes[19]]).toEqual([1, 1]);
  });

  it('refuses a journal of a newer schema without modifying it', async () => {
    const dir = tempDir();
    await Journal.open({ dir }).close();
    const db = new Sqlite(Journal.pathOf(dir));
    db.exec("UPDATE meta SET value = '99' WHERE key = 'schema'");
    db.close();
    const before = snapshot(dir);
    expect(() => Journal.open({ dir })).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_JOURNAL_SCHEMA' }),
    );
    const after = snapshot(dir);
    expect(after.files).toEqual(before.files);
    expect(after.bytes.equals(before.bytes)).toBe(true);
  });

  it('refuses a file that is not an SQLite database without modifying it', () => {
    const dir = tempDir();
    writeFileSync(Journal.pathOf(dir), 'task_id,outcome\n1,discharged\n');
    const before = snapshot(dir);
    expect(() => Journal.open({ dir })).toThrow(
      expect.objectContaining({ code: 'SORTLINE_ERR_JOURNAL_OPEN' }),
    );
    const after = snapshot(dir);
    expect(after.files).toEqual(before.files);
    expect(after.bytes.equals(before.bytes)).toBe(true);
  });
});
