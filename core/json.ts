/**
 * JSON documents from users: parsing with line and column in errors, and `--set path=value`
 * overrides by dotted path with array indexes. Pure (no I/O).
 */
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { SortlineError } from './errors.js';

/**
 * Parses JSON text (RFC 8259).
 * @throws SortlineError SORTLINE_ERR_JSON_SYNTAX with the 1-based line and column of the fault.
 */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // JSON.parse's messages often give no position: jsonc-parser (strict: no comments, no
    // trailing commas) finds where the first fault is and what was expected there
    const faults: ParseError[] = [];
    parseTolerant(text, faults, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
    const first = faults[0];
    const offset = first?.offset ?? text.length;
    let line = 1;
    let column = 1;
    for (let i = 0; i < offset && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        column = 1;
      } else column++;
    }
    // printParseErrorCode gives names such as ValueExpected or CloseBraceExpected: say them as words
    const what = first
      ? printParseErrorCode(first.error)
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toLowerCase()
      : (err as Error).message;
    return raise(`${path} is not valid JSON: ${what} at line ${line}, column ${column}`, {
      path,
      line,
      column,
    });
  }
}

function raise(message: string, where: { path: string; line: number; column: number }): never {
  throw new SortlineError('SORTLINE_ERR_JSON_SYNTAX', message, where);
}

/** Largest JSON document Sortline reads (bytes). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** The file system calls {@link readJson} needs (Node's `statSync` and `readFileSync` fit). */
export interface JsonFileSystem {
  stat(file: string): { isFile(): boolean; size: number };
  read(file: string, encoding: 'utf8'): string;
}

/**
 * Reads a JSON file through `fs` (the caller's file system: core does no I/O) and parses it. Only
 * regular files of at most {@link MAX_JSON_BYTES} are read (not a directory, a device or a pipe).
 * @throws SortlineError SORTLINE_ERR_FILE_READ (missing, unreadable, not a regular file, too
 *   large: the message gives the path and why) or SORTLINE_ERR_JSON_SYNTAX (line and column).
 */
export function readJson(file: string, fs: JsonFileSystem): unknown {
  let text: string;
  try {
    const st = fs.stat(file);
    if (!st.isFile()) throw new Error('not a regular file; expected a JSON file');
    if (st.size > MAX_JSON_BYTES)
      throw new Error(`${st.size} bytes; expected at most ${MAX_JSON_BYTES} bytes`);
    text = fs.read(file, 'utf8');
  } catch (err) {
    const e = err as { message?: string };
    throw new SortlineError(
      'SORTLINE_ERR_FILE_READ',
      `cannot read ${file}: ${e.message ?? String(err)}`,
      { path: file },
      { cause: err },
    );
  }
  return parseJson(text, file);
}

/** Escapes one RFC 6901 reference token. */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** One step of a `--set` path: an object key (`sorter`) or an array index (`[0]`, or `0` after a dot). */
interface PathStep {
  key: string;
  /** true for a bracketed index: it must meet an array. */
  bracket: boolean;
}

/**
 * Splits a `--set` path into steps: dot-separated segments, each a key optionally followed by
 * bracketed array indexes (`sorter.chutes[0].position`, `arrivals.ratePerHour[2]`, `m[1][0]`).
 * @throws SortlineError SORTLINE_ERR_SET_PATH for an empty segment or a malformed bracket.
 */
function parseSetPath(assignment: string, path: string): PathStep[] {
  const steps: PathStep[] = [];
  for (const segment of path.split('.')) {
    const m = /^([^[\]]*)((?:\[[^[\]]*\])*)$/.exec(segment);
    if (segment === '' || m === null) {
      throw new SortlineError(
        'SORTLINE_ERR_SET_PATH',
        segment === ''
          ? `--set "${assignment}": the path has an empty segment`
          : `--set "${assignment}": "${segment}" is not a key or a key followed by [index]es, e.g. chutes[0]`,
      );
    }
    const [, name = '', brackets = ''] = m;
    if (name !== '') steps.push({ key: name, bracket: false });
    for (const b of brackets.match(/\[[^\]]*\]/g) ?? []) {
      const index = b.slice(1, -1);
      if (!/^(0|[1-9]\d*)$/.test(index)) {
        throw new SortlineError(
          'SORTLINE_ERR_SET_PATH',
          `--set "${assignment}": "${b}" is not an array index; expected [0], [1], …`,
        );
      }
      steps.push({ key: index, bracket: true });
    }
  }
  return steps;
}

/**
 * Applies one override `path=value` to `doc` in place. The path is dot-separated keys, with array
 * items named by a bracketed index or a numeric segment (`sorter.chutes[0].position=5` and
 * `sorter.chutes.0.position=5` are the same). The value is read as JSON when it parses (numbers,
 * booleans, null, arrays, objects, quoted strings), otherwise as a plain string. Every step but
 * the last must name an existing object key or array index; the last may add a key, or an item
 * right after the end of an array (the schema then decides whether it is allowed). The keys
 * `__proto__`, `constructor` and `prototype` are refused.
 * @throws SortlineError SORTLINE_ERR_SET_PATH naming the path and what is wrong, with the JSON
 *   pointer (RFC 6901) of the faulty step: a missing key, an index out of range, an index into
 *   something that is not an array, a step into a value that is not an object or array.
 */
export function applySet(doc: unknown, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    throw new SortlineError(
      'SORTLINE_ERR_SET_PATH',
      `--set "${assignment}": expected path=value, e.g. sorter.inducts.count=4`,
    );
  }
  const path = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1);
  const steps = parseSetPath(assignment, path);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  let node: unknown = doc;
  let pointer = '';
  for (let i = 0; i < steps.length; i++) {
    const { key, bracket } = steps[i]!;
    const here = pointer + '/' + pointerToken(key);
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      throw new SortlineError(
        'SORTLINE_ERR_SET_PATH',
        `--set ${path}: "${key}" is not a key a scenario or configuration can have`,
        { pointer: here },
      );
    }
    const last = i === steps.length - 1;
    if (Array.isArray(node)) {
      const idx = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
      const top = node.length - (last ? 0 : 1); // the last step may append an item
      if (idx < 0 || idx > top) {
        throw new SortlineError(
          'SORTLINE_ERR_SET_PATH',
          `--set ${path}: ${pointer || '/'} is an array of ${node.length}; "${key}" is not an index of it` +
            (idx < 0 ? '' : top < 0 ? ' (it is empty)' : ` (expected 0–${top})`),
          { pointer: here },
        );
      }
      if (last) node[idx] = value;
      else node = node[idx];
    } else if (typeof node === 'object' && node !== null) {
      if (bracket) {
        throw new SortlineError(
          'SORTLINE_ERR_SET_PATH',
          `--set ${path}: ${pointer || '/'} is an object, not an array; [${key}] is not an index of it`,
          { pointer: here },
        );
      }
      const obj = node as Record<string, unknown>;
      if (last) obj[key] = value;
      else {
        if (!Object.hasOwn(obj, key)) {
          throw new SortlineError(
            'SORTLINE_ERR_SET_PATH',
            `--set ${path}: there is no "${key}" at ${pointer || '/'}`,
            { pointer: here },
          );
        }
        node = obj[key];
      }
    } else {
      throw new SortlineError(
        'SORTLINE_ERR_SET_PATH',
        `--set ${path}: ${pointer || '/'} is a ${node === null ? 'null' : typeof node}, not an object or array`,
        { pointer },
      );
    }
    pointer = here;
  }
}
