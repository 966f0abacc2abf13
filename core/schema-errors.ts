/**
 * Turns TypeBox validation errors into Sortline error details: one `{ pointer, message }` per
 * offending value, the pointer an RFC 6901 JSON pointer (TypeBox escapes `~` as `~0` and `/` as
 * `~1`), the message saying what was found and what was expected.
 */
import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { ErrorDetail } from './errors.js';

/** Decodes the last reference token of an RFC 6901 pointer (`~1` → `/`, then `~0` → `~`). */
function lastToken(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
}

/** A short human description of a JSON value, for "found ..." (strings are quoted and clipped). */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value))
    return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'string':
      if (value === '') return 'an empty string';
      return (
        JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) +
        (value.length > 40 ? ` (${value.length} characters)` : '')
      );
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function expected(schema: TSchema, fallback: string): string {
  return typeof schema.description === 'string' ? schema.description : fallback;
}

/** The message of one TypeBox error. */
function message(e: ValueError): string {
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `missing required key "${lastToken(e.path)}"; expected ${expected(e.schema, 'a value')}`;
    case ValueErrorType.ObjectAdditionalProperties: {
      const known = Object.keys((e.schema as { properties?: object }).properties ?? {});
      return `unknown key "${lastToken(e.path)}"; expected only the keys ${known.join(', ')}`;
    }
    case ValueErrorType.StringMaxLength:
      return `found a string of ${(e.value as string).length} characters; expected ${expected(e.schema, 'a shorter string')}`;
    default:
      return `found ${describeValue(e.value)}; expected ${expected(e.schema, e.message.toLowerCase())}`;
  }
}

/**
 * Every schema fault of `value`, at most one per pointer (the first TypeBox reports: a missing
 * key is reported as missing, not also as "found undefined"). A value that fits no variant of a
 * union is reported by the faults of the variant it comes closest to (fewest faults; the first on
 * a tie), so the pointer reaches inside it: `/operators/handlingSeconds/mean`, not only
 * `/operators/handlingSeconds`. Never throws; [] when it fits.
 */
export function schemaErrors(schema: TSchema, value: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const seen = new Set<string>();
  const add = (errors: Iterable<ValueError>): void => {
    for (const e of errors) {
      if (e.type === ValueErrorType.Union && e.errors.length > 0) {
        let best: ValueError[] | undefined;
        for (const variant of e.errors) {
          const list = [...variant];
          if (best === undefined || list.length < best.length) best = list;
        }
        if (best !== undefined && best.length > 0) {
          add(best);
          continue;
        }
      }
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      out.push({ pointer: e.path, message: message(e) });
    }
  };
  add(Value.Errors(schema, value));
  return out;
}
