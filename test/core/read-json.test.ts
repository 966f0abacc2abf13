/**
 * core/json.ts readJson: the one JSON file reader of the simulator's scenario loader and the
 * controller's serve configuration (issue 9), over an injected file system so core does no I/O.
 */
import { describe, expect, it } from 'vitest';
import { SortlineError } from '../../core/errors.js';
import { MAX_JSON_BYTES, readJson, type JsonFileSystem } from '../../core/json.js';

/** A file system of one regular file `a.json` holding `text`, and a directory `d`. */
function fakeFs(text: string, size = text.length): JsonFileSystem {
  return {
    stat(file) {
      if (file === 'd') return { isFile: () => false, size: 0 };
      if (file !== 'a.json')
        throw Object.assign(new Error(`ENOENT: no such file or directory, stat '${file}'`), {
          code: 'ENOENT',
        });
      return { isFile: () => true, size };
    },
    read: () => text,
  };
}

function caught(fn: () => unknown): SortlineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SortlineError) return e;
    throw e;
  }
  throw new Error('expected a SortlineError');
}

describe('readJson', () => {
  it('parses a regular file', () => {
    expect(readJson('a.json', fakeFs('{"hours": 2, "x": [1, null]}'))).toEqual({
      hours: 2,
      x: [1, null],
    });
  });

  it('names the path and the reason for a missing file, a directory and a file too large', () => {
    const missing = caught(() => readJson('b.json', fakeFs('{}')));
    expect(missing.code).toBe('SORTLINE_ERR_FILE_READ');
    expect(missing.message).toBe(
      "cannot read b.json: ENOENT: no such file or directory, stat 'b.json'",
    );
    expect(missing.path).toBe('b.json');
    const dir = caught(() => readJson('d', fakeFs('{}')));
    expect(dir.code).toBe('SORTLINE_ERR_FILE_READ');
    expect(dir.message).toBe('cannot read d: not a regular file; expected a JSON file');
    const big = caught(() => readJson('a.json', fakeFs('{}', MAX_JSON_BYTES + 1)));
    expect(big.code).toBe('SORTLINE_ERR_FILE_READ');
    expect(big.message).toBe(
      `cannot read a.json: ${MAX_JSON_BYTES + 1} bytes; expected at most ${MAX_JSON_BYTES} bytes`,
    );
  });

  it('gives the line and column of a syntax fault', () => {
    const e = caught(() => readJson('a.json', fakeFs('{\n  "hours": 2,\n}')));
    expect(e.code).toBe('SORTLINE_ERR_JSON_SYNTAX');
    expect(e.message).toMatch(/^a\.json is not valid JSON: .* at line 3, column 1$/);
  });
});
