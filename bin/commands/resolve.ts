import { Type } from '@sinclair/typebox';
import type { Command } from 'commander';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { isSortlineError, type ErrorCode } from '../../core/errors.js';
import { parseJson } from '../../core/json.js';
import {
  MAX_READ_LENGTH,
  ParcelRouter,
  READ_SOURCE_NAMES,
  ReadSource,
  compileResolverConfig,
  describeRead,
  type CompiledResolverConfig,
} from '../../core/labels/index.js';
import {
  compilePlan,
  type SortPlan,
  FALLBACK_NAMES,
  type FallbackName,
} from '../../core/plan/index.js';
import { schemaErrors } from '../../core/schema-errors.js';
import { readJsonFile } from '../../sim/scenario/index.js';

interface ResolveOptions {
  plan?: string;
  jsonl?: boolean;
  config?: string;
}

/** One output line of `sortline resolve` (docs/labels.md "sortline resolve"). */
type OutputLine = (
  | { ok: true; kind: string; hri?: string; id?: string; text?: string }
  | { ok: false; error: { code: ErrorCode; message: string; offset: number } }
) & { destination?: string | null; chute?: string | null; fallback?: FallbackName };

/** A read taken from one input line. */
interface Read {
  data: string;
  source: number;
  scanner: number;
}

/** An input line that holds no read (not JSON, not a read object): reported, never routed. */
interface InputError {
  inputError: OutputLine;
}

/** Longest input line kept, in bytes (a read is at most MAX_READ_LENGTH characters; JSON escapes make a line longer). */
const MAX_LINE_BYTES = 64 * 1024;
const LF = 0x0a;
const CR = 0x0d;

/**
 * `sortline resolve [--plan plan.json] [--jsonl] [--config resolver.json]`: reads one read per
 * line from stdin (raw scanner data, or with `--jsonl` objects `{"source":"scanner"|"rfid"|
 * "manual","data":"...","scanner":0}`) and writes one JSON object per input line: `ok`; when ok
 * `kind`, `hri` (GS1 data in bracket form), `id` (the identifier the read carries), `text` (plain
 * text); with `--plan` also `destination`, `chute` and, on an exception chute, `fallback`; when not
 * ok `error` {`code`, `message`, `offset`}. Lines end at LF only (CR LF is one line end; a lone CR
 * is data). A bad plan or configuration file is a coded error on stderr and exit code 2.
 */
export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description(
      'resolve scanner, RFID and manual reads from stdin (one per line) to label kinds, identifiers and, with --plan, destinations; one JSON object per line',
    )
    .option(
      '--plan <plan.json>',
      'sort plan (docs/sort-plan.md): add the destination and chute of each read',
    )
    .option(
      '--jsonl',
      'read JSON lines {"source":"scanner"|"rfid"|"manual","data":"...","scanner":0} instead of raw data',
    )
    .option(
      '--config <resolver.json>',
      'label resolver configuration (docs/labels.md): scanner profiles, e-waybill patterns, ...',
    )
    .action(async (opts: ResolveOptions) => {
      await resolveStdin(opts);
    });
}

async function resolveStdin(opts: ResolveOptions): Promise<void> {
  const config: CompiledResolverConfig = compileResolverConfig(
    opts.config === undefined ? {} : readJsonFile(opts.config),
  );
  const plan: SortPlan | null =
    opts.plan === undefined ? null : compilePlan(readJsonFile(opts.plan));
  const router = plan === null ? null : new ParcelRouter(plan, config);
  const jsonl = opts.jsonl === true;
  let out = '';
  for await (const line of inputLines(process.stdin)) {
    out += JSON.stringify(resolveLine(line, jsonl, config, plan, router)) + '\n';
    if (out.length >= 1 << 16) {
      await write(out);
      out = '';
    }
  }
  if (out !== '') await write(out);
}

function write(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

/** One input line as bytes, without its line end; `overlong` when it had more than {@link MAX_LINE_BYTES} (the bytes are dropped). */
interface Line {
  bytes: Buffer;
  overlong: boolean;
}

/**
 * The lines of `input`, split at LF only: a CR right before the LF belongs to the line end, a CR
 * anywhere else is data, so that output lines match input lines one to one. A UTF-8 byte order
 * mark at the start of the input is skipped. The last line needs no line end.
 */
async function* inputLines(input: AsyncIterable<Buffer>): AsyncGenerator<Line> {
  let rest: Buffer = Buffer.alloc(0);
  let overlong = false;
  let start = true;
  const take = (bytes: Buffer, end: number): Line => {
    const long = overlong || end > MAX_LINE_BYTES;
    overlong = false;
    return {
      bytes: long
        ? Buffer.alloc(0)
        : bytes.subarray(0, end > 0 && bytes[end - 1] === CR ? end - 1 : end),
      overlong: long,
    };
  };
  for await (const chunk of input) {
    let buf = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    if (start) {
      if (buf.length < 3 && isBomPrefix(buf)) {
        rest = buf;
        continue;
      }
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      start = false;
    }
    let from = 0;
    for (let nl = buf.indexOf(LF, from); nl >= 0; nl = buf.indexOf(LF, from)) {
      yield take(buf.subarray(from), nl - from);
      from = nl + 1;
    }
    rest = buf.subarray(from);
    if (rest.length > MAX_LINE_BYTES) {
      overlong = true;
      rest = Buffer.alloc(0);
    }
  }
  if (rest.length > 0 || overlong) yield take(rest, rest.length);
}

function isBomPrefix(b: Buffer): boolean {
  return (b.length < 1 || b[0] === 0xef) && (b.length < 2 || b[1] === 0xbb);
}

/**
 * Byte offset of the first byte of `b` that breaks UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or -1 when `b` is UTF-8.
 */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function lineError(code: ErrorCode, message: string, offset: number): OutputLine {
  return { ok: false, error: { code, message, offset } };
}

/** The text of a line, or the error of a line that is not UTF-8 or too long. */
function lineText(line: Line): string | OutputLine {
  if (line.overlong) {
    return lineError(
      'SORTLINE_ERR_LABEL_READ_TOO_LONG',
      `the line has more than ${MAX_LINE_BYTES} bytes; expected a read of at most ${MAX_READ_LENGTH} characters`,
      MAX_READ_LENGTH,
    );
  }
  const bad = firstInvalidUtf8(line.bytes);
  if (bad < 0) return utf8.decode(line.bytes);
  const offset = utf8.decode(line.bytes.subarray(0, bad)).length;
  const hex = line.bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  return lineError(
    'SORTLINE_ERR_LABEL_CHARACTER',
    `byte 0x${hex} at byte ${bad} of the line (character offset ${offset}) is not UTF-8; expected a read as UTF-8 text (a scanner read is text; UTF-16 or 8-bit code page input must be converted first)`,
    offset,
  );
}

const ReadObject = Type.Object(
  {
    source: Type.Optional(
      Type.Union(
        READ_SOURCE_NAMES.map((s) =>
          Type.Literal(s, { description: '"scanner", "rfid" or "manual"' }),
        ),
        { description: '"scanner", "rfid" or "manual"' },
      ),
    ),
    data: Type.String({ description: 'a string, the read as the device sent it' }),
    scanner: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 65535,
        description: 'a scanner number, an integer 0-65535',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'a read object {"source":"scanner"|"rfid"|"manual","data":"...","scanner":0}',
  },
);

/** Character offset in `text` of the JSON value (or, for an unknown key, the key) at RFC 6901 `pointer`; 0 when not found. */
function offsetOf(text: string, pointer: string, key: boolean): number {
  const root = parseTree(text);
  if (root === undefined || pointer === '') return 0;
  const path = pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const node = findNodeAtLocation(root, path);
  if (node === undefined) return 0;
  return key && node.parent?.type === 'property' ? node.parent.children![0]!.offset : node.offset;
}

/** The read of one line: raw data, or a `--jsonl` read object (a blank line is a no-read in both). */
function parseLine(text: string, jsonl: boolean): Read | InputError {
  if (!jsonl || isBlank(text)) return { data: text, source: ReadSource.SCANNER, scanner: 0 };
  let v: unknown;
  try {
    v = parseJson(text, 'the line');
  } catch (err) {
    if (!isSortlineError(err)) throw err;
    // one line: its column, less one, is the character offset in the line
    const offset = (err.column ?? 1) - 1;
    return {
      inputError: lineError(
        'SORTLINE_ERR_JSON_SYNTAX',
        err.message.replace(/ at line 1, column \d+$/, ` at offset ${offset}`),
        offset,
      ),
    };
  }
  const faults = schemaErrors(ReadObject, v);
  if (faults.length > 0) {
    const f = faults[0]!;
    // messages about a key name it already; others get the key in front
    const unknownKey = f.message.startsWith('unknown key');
    const message =
      f.pointer === '' || unknownKey || f.message.startsWith('missing')
        ? f.message
        : `"${f.pointer.slice(1)}": ${f.message}`;
    return {
      inputError: lineError(
        'SORTLINE_ERR_LABEL_READ_OBJECT',
        message,
        offsetOf(text, f.pointer, unknownKey),
      ),
    };
  }
  const o = v as { source?: (typeof READ_SOURCE_NAMES)[number]; data: string; scanner?: number };
  return {
    data: o.data,
    source: o.source === undefined ? ReadSource.SCANNER : READ_SOURCE_NAMES.indexOf(o.source),
    scanner: o.scanner ?? 0,
  };
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function resolveLine(
  line: Line,
  jsonl: boolean,
  config: CompiledResolverConfig,
  plan: SortPlan | null,
  router: ParcelRouter | null,
): OutputLine {
  const text = lineText(line);
  if (typeof text !== 'string') {
    // raw mode: bytes the scanner sent that are no read, routed as a no-read; --jsonl: the line is no JSON text
    return jsonl ? text : withRoute(text, plan, router, null);
  }
  const read = parseLine(text, jsonl);
  if ('inputError' in read) return read.inputError;
  const d = describeRead(read.data, read.source, config, read.scanner);
  let out: OutputLine;
  if (d.ok) {
    out = { ok: true, kind: d.kind };
    if (d.hri !== undefined) out.hri = d.hri;
    if (d.id !== undefined) out.id = d.id;
    if (d.text !== undefined) out.text = d.text;
  } else {
    out = { ok: false, error: d.error };
  }
  return withRoute(out, plan, router, read);
}

/**
 * With a plan: the read routed as a parcel of its own. Adds `destination` and `chute` (the
 * destination's first chute, or the fallback's exception chute) and, on a fallback, `fallback`.
 * `read` null: bytes that are no read, a no-read.
 */
function withRoute(
  out: OutputLine,
  plan: SortPlan | null,
  router: ParcelRouter | null,
  read: Read | null,
): OutputLine {
  if (plan === null || router === null) return out;
  router.begin();
  if (read !== null) router.addRead(read.data, read.source, read.scanner);
  const r = router.finish();
  const chute = r >= 0 ? plan.destChuteList[plan.destChuteStart[r]!]! : plan.fallbackChute[-r]!;
  out.destination = r >= 0 ? plan.destinationIds[r]! : null;
  out.chute = plan.chuteIds[chute] ?? null;
  if (r < 0) out.fallback = FALLBACK_NAMES[-r]!;
  return out;
}
