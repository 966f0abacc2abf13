/**
 * JSON documents from users: parsing with line and column in errors, and `--set path=value`
 * overrides by dotted path. Pure (no I/O).
 */
import { SortlineError } from './errors.js';

/**
 * Parses JSON text (RFC 8259).
 * @throws SortlineError SORTLINE_ERR_JSON_SYNTAX with the 1-based line and column of the fault.
 */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    let line = 1;
    let column = 1;
    if (m) {
      const pos = Number(m[1]);
      for (let i = 0; i < pos && i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
          line++;
          column = 1;
        } else column++;
      }
    } else if (/end of JSON input/i.test(msg)) {
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
          line++;
          column = 1;
        } else column++;
      }
    }
    return raise(`${path} is not valid JSON: ${msg}`, { path, line, column });
  }
}

function raise(message: string, where: { path: string; line: number; column: number }): never {
  throw new SortlineError('SORTLINE_ERR_JSON_SYNTAX', message, where);
}

/**
 * Reads a JSON file through `read` (the caller's file system access: core does no I/O) and parses
 * it.
 * @throws SortlineError SORTLINE_ERR_FILE_READ (missing, unreadable, a directory: the message gives
 *   the path and the system error) or SORTLINE_ERR_JSON_SYNTAX (line and column).
 */
export function readJson(file: string, read: (file: string) => string): unknown {
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new SortlineError('SORTLINE_ERR_FILE_READ', `cannot read ${file}: ${e.code ?? ''} ${e.message ?? String(err)}`.trim(), { path: file }, { cause: err });
  }
  return parseJson(text, file);
}

/** Escapes one RFC 6901 reference token. */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Applies one override `a.b.0.c=value` to `doc` in place. The value is read as JSON when it parses
 * (numbers, booleans, null, arrays, objects, quoted strings), otherwise as a plain string. Every
 * segment but the last must name an existing object key or array index; the last may add a key
 * (the schema then decides whether it is allowed).
 * @throws SortlineError SORTLINE_ERR_SET_PATH naming the path (as a JSON pointer) and what is wrong.
 */
export function applySet(doc: unknown, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    throw new SortlineError('SORTLINE_ERR_SET_PATH', `--set "${assignment}": expected path=value, e.g. sorter.inducts.count=4`);
  }
  const path = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1);
  const keys = path.split('.');
  if (keys.some((k) => k === '')) {
    throw new SortlineError('SORTLINE_ERR_SET_PATH', `--set "${assignment}": the path has an empty segment`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  let node: unknown = doc;
  let pointer = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const last = i === keys.length - 1;
    if (Array.isArray(node)) {
      const idx = Number(key);
      if (!Number.isInteger(idx) || idx < 0 || idx >= node.length + (last ? 1 : 0)) {
        throw new SortlineError('SORTLINE_ERR_SET_PATH', `--set ${path}: ${pointer || '/'} is an array of ${node.length}; "${key}" is not an index of it`, {
          pointer: pointer + '/' + pointerToken(key),
        });
      }
      if (last) node[idx] = value;
      else node = node[idx];
    } else if (typeof node === 'object' && node !== null) {
      const obj = node as Record<string, unknown>;
      if (last) obj[key] = value;
      else {
        if (!(key in obj)) {
          throw new SortlineError('SORTLINE_ERR_SET_PATH', `--set ${path}: there is no "${key}" at ${pointer || '/'}`, {
            pointer: pointer + '/' + pointerToken(key),
          });
        }
        node = obj[key];
      }
    } else {
      throw new SortlineError('SORTLINE_ERR_SET_PATH', `--set ${path}: ${pointer || '/'} is a ${node === null ? 'null' : typeof node}, not an object or array`, {
        pointer,
      });
    }
    pointer += '/' + pointerToken(key);
  }
}
