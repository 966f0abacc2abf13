/**
 * The one table of Sortline error codes, in the manner of fastify's `lib/errors.js`.
 *
 * Every error Sortline reports to a user carries a stable code `SORTLINE_ERR_<AREA>_<WHAT>`.
 * Codes are never renamed or reused once released; `docs/errors.md` is generated from this table
 * (`npm run docs:errors`) and a test keeps the two in step.
 *
 * Hot paths (label resolution, plan lookup) do not throw: they return small integer fault ids that
 * map to these codes at the API edge. Everything else throws {@link SortlineError}.
 *
 * Pure: no `node:` imports (core must also run in a browser).
 */

/** One row of the table: which part of Sortline raises it and what it means for the user. */
export interface ErrorDoc {
  /** The layer or feature that raises it: `cli`, `scenario`, `plan`, `label`, `protocol`, ... */
  readonly area: string;
  /** What went wrong and what the user should do, one or two sentences (Markdown). */
  readonly doc: string;
}

/**
 * The table. Keep each area's rows together, in the order they were added.
 * Keys are the stable codes; `area` and `doc` may be reworded.
 */
export const ERRORS = {
  // ---- cli / files ------------------------------------------------------------------------------
  SORTLINE_ERR_USAGE: {
    area: 'cli',
    doc: 'A command-line argument or option is missing or malformed; the message names it and what was expected. Exit code 2.',
  },
  SORTLINE_ERR_FILE_READ: {
    area: 'cli',
    doc: 'A file named on the command line or in a configuration could not be read (missing, a directory, no permission); the message gives the path and the system error.',
  },
  SORTLINE_ERR_JSON_SYNTAX: {
    area: 'cli',
    doc: 'A JSON file is not valid JSON; the message gives the path, line and column.',
  },
  SORTLINE_ERR_SET_PATH: {
    area: 'cli',
    doc: 'A `--set path=value` override is malformed or names no value of the document; the message gives the path as a JSON pointer.',
  },

  // ---- scenario (sim/) --------------------------------------------------------------------------
  SORTLINE_ERR_SCENARIO_INVALID: {
    area: 'scenario',
    doc: 'The scenario failed validation; `details` lists every fault with its JSON pointer (unknown key, wrong type, out-of-range value, an induct and a chute at the same position, a plan naming a chute that does not exist). Nothing is simulated.',
  },

  // ---- sort plan (core/plan) --------------------------------------------------------------------
  SORTLINE_ERR_PLAN_INVALID: {
    area: 'plan',
    doc: 'The sort plan failed validation as a whole; `details` lists every fault with its JSON pointer. A plan that fails is never activated; the active plan stays.',
  },
  SORTLINE_ERR_PLAN_MACHINE_MISMATCH: {
    area: 'plan',
    doc: 'A compiled sort plan was handed to a machine whose chute table differs from the chute list the plan was compiled against (other chute ids, order or count); the message names the first difference. Compile the plan with the machine\'s chute ids. The active plan stays.',
  },

  // ---- labels (core/labels) ---------------------------------------------------------------------

  // ---- protocol (core/protocol) -----------------------------------------------------------------

  // ---- controller -------------------------------------------------------------------------------
} as const satisfies Record<string, ErrorDoc>;

/** A stable Sortline error code. */
export type ErrorCode = keyof typeof ERRORS;

/** One fault inside a multi-fault error (plan or scenario validation). */
export interface ErrorDetail {
  /** JSON pointer (RFC 6901) to the offending value, `''` for the document root. */
  readonly pointer: string;
  /** What is wrong and what was expected. */
  readonly message: string;
}

/** Where in the input the fault lies; every field is optional and set when known. */
export interface ErrorLocation {
  /** File path, when the input came from a file. */
  readonly path?: string;
  /** JSON pointer (RFC 6901) of the offending value. */
  readonly pointer?: string;
  /** 1-based line number in a text input. */
  readonly line?: number;
  /** 1-based column number in a text input. */
  readonly column?: number;
  /** 0-based byte or character offset in a frame or label. */
  readonly offset?: number;
  /** Every fault, when there is more than one. */
  readonly details?: readonly ErrorDetail[];
}

/**
 * An error with a stable code from {@link ERRORS} and where it happened.
 *
 * `message` is for people; programs branch on `code`. `details` carries every fault of a
 * validation that checks a whole document.
 */
export class SortlineError extends Error {
  readonly code: ErrorCode;
  readonly path?: string;
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
  readonly offset?: number;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SortlineError';
    this.code = code;
    if (where.path !== undefined) this.path = where.path;
    if (where.pointer !== undefined) this.pointer = where.pointer;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
    if (where.offset !== undefined) this.offset = where.offset;
    this.details = where.details ?? [];
  }
}

/** True when `e` is a {@link SortlineError} (also across realms, by duck type on `code`). */
export function isSortlineError(e: unknown): e is SortlineError {
  return (
    e instanceof SortlineError ||
    (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' &&
      (e as { code: string }).code in ERRORS)
  );
}

/** Renders the table as the Markdown of `docs/errors.md`. */
export function renderErrorsMarkdown(): string {
  const lines = [
    '# Error codes',
    '',
    'Generated from `core/errors.ts` by `npm run docs:errors`; do not edit by hand.',
    'Codes are stable: programs may branch on them. Messages may change.',
    '',
    '| code | area | meaning |',
    '| --- | --- | --- |',
  ];
  for (const [code, row] of Object.entries(ERRORS) as [ErrorCode, ErrorDoc][]) {
    lines.push(`| \`${code}\` | ${row.area} | ${row.doc.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}
