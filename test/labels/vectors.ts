/**
 * The shared label vectors (test/fixtures/labels.tsv, a copy of ../shared/cases/labels.tsv) and
 * a checker of one outcome against its expectation, used by the API and the CLI tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Vector {
  id: string;
  source: 'scanner' | 'rfid';
  /** The read, with `<GS>` replaced by 0x1D. */
  data: string;
  expect: string;
  note: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every vector of the fixture, in file order. */
export function loadVectors(): Vector[] {
  const text = readFileSync(path.join(here, '../fixtures/labels.tsv'), 'utf8');
  const rows = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const [header, ...body] = rows;
  if (header !== 'id\tsource\tinput\texpect\tnote') throw new Error(`unexpected header ${header}`);
  return body.map((line) => {
    const [id, source, input, expect, note = ''] = line.split('\t') as [
      string,
      string,
      string,
      string,
      string?,
    ];
    return {
      id,
      source: source as Vector['source'],
      data: input.replace(/<GS>/g, '\x1d'),
      expect,
      note,
    };
  });
}

/** What a read resolved to, in the shape both `describeRead` and `sortline resolve` give. */
export interface Outcome {
  ok: boolean;
  kind?: string;
  hri?: string;
  id?: string;
  text?: string;
  keys?: ReadonlyArray<{ kind: string; value: string; country?: number }>;
  error?: { code: string; message: string; offset: number };
}

/**
 * Mismatches between `got` and the vector's expectation (empty when it meets it). With
 * `cliFields` the ZIP of a USPS read is checked in `hri` (the CLI prints no keys).
 */
export function mismatches(v: Vector, got: Outcome, cliFields = false): string[] {
  const out: string[] = [];
  const [word, ...rest] = v.expect.split(' ');
  const value = rest.join(' ');
  if (word === 'error') {
    if (got.ok) return [`expected an error containing ${value}, got ok ${got.kind}`];
    const words = value.split('|');
    if (!words.some((w) => got.error!.code.includes(w)))
      out.push(`error code ${got.error!.code} contains none of ${value}`);
    if (typeof got.error!.offset !== 'number' || got.error!.offset < 0)
      out.push(`bad offset ${got.error!.offset}`);
    if (!got.error!.message) out.push('empty message');
    return out;
  }
  if (!got.ok) return [`expected ${v.expect}, got error ${got.error!.code}: ${got.error!.message}`];
  if (got.kind !== word) out.push(`kind ${got.kind}, expected ${word}`);
  if (word === 'gs1') {
    if (got.hri !== value) out.push(`hri ${got.hri}, expected ${value}`);
  } else if (word === 'usps') {
    const [id, zip] = value.split(' zip=') as [string, string];
    if (got.id !== id) out.push(`id ${got.id}, expected ${id}`);
    if (cliFields) {
      if (!got.hri?.startsWith(`(420)${zip}`))
        out.push(`hri ${got.hri} does not carry (420)${zip}`);
    } else if (
      !got.keys?.some((k) => k.kind === 'postal' && k.value === zip && k.country === 840)
    ) {
      out.push(`no postal key ${zip} in country 840: ${JSON.stringify(got.keys)}`);
    }
  } else if (word === 'text') {
    if (got.text !== value) out.push(`text ${got.text}, expected ${value}`);
    if (got.id !== undefined) out.push(`id ${got.id} on plain text`);
  } else if (word !== 'noread') {
    if (got.id !== value) out.push(`id ${got.id}, expected ${value}`);
  }
  return out;
}
