/**
 * Turns TypeBox validation errors into Sortline error details: one `{ pointer, message }` per
 * offending value, the pointer an RFC 6901 JSON pointer (TypeBox escapes `~` as `~0` and `/` as
 * `~1`), the message saying what was found and what was expected.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { ErrorDetail } from './errors.js';
import { pointerToken } from './json.js';

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

/**
 * Every allowed value named once, JSON-quoted and joined as words: `"a", "b" or "c"` (`"a"` for
 * one, `"a" or "b"` for two). Used by every "expected one of a fixed list" message (schema faults
 * here, command-line flags in bin/).
 */
export function describeChoices(values: readonly unknown[]): string {
  const names = [...new Set(values.map((v) => JSON.stringify(v)))];
  if (names.length <= 1) return names[0] ?? 'nothing';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]!}`;
}

/** The `const` of a TypeBox literal schema, or undefined when `schema` is not a literal. */
function literalOf(schema: TSchema): { value: unknown } | undefined {
  return schema[Kind] === 'Literal'
    ? { value: (schema as unknown as { const: unknown }).const }
    : undefined;
}

/** The values of a union whose variants are all literals (nested unions flattened), else undefined. */
function literalChoices(schema: TSchema): unknown[] | undefined {
  const lit = literalOf(schema);
  if (lit) return [lit.value];
  const variants = (schema as { anyOf?: TSchema[] }).anyOf;
  if (schema[Kind] !== 'Union' || !variants) return undefined;
  const out: unknown[] = [];
  for (const v of variants) {
    const inner = literalChoices(v);
    if (!inner) return undefined;
    out.push(...inner);
  }
  return out;
}

/**
 * What a fixed list of values expects: the schema's own description when it names every value
 * (it may say more, such as what each means), else the values themselves.
 */
function expectedChoices(schema: TSchema, values: readonly unknown[]): string {
  const d = schema.description;
  if (typeof d === 'string' && values.every((v) => d.includes(JSON.stringify(v)))) return d;
  return describeChoices(values);
}

/**
 * The discriminating key of a union of objects: a key every variant declares as a literal
 * (`distribution`, `name`), with each variant's value. Undefined when there is none.
 */
function discriminator(
  variants: readonly TSchema[],
): { key: string; values: unknown[] } | undefined {
  const first = variants[0] as { properties?: Record<string, TSchema> } | undefined;
  if (!first?.properties) return undefined;
  for (const key of Object.keys(first.properties)) {
    const values: unknown[] = [];
    for (const v of variants) {
      const prop = (v as { properties?: Record<string, TSchema> }).properties?.[key];
      const lit = v[Kind] === 'Object' && prop ? literalOf(prop) : undefined;
      if (!lit) break;
      values.push(lit.value);
    }
    if (values.length === variants.length) return { key, values };
  }
  return undefined;
}

/** What TypeBox's own message says is expected, without its leading "Expected" (case kept). */
function typeboxExpected(e: ValueError): string {
  const lit = literalOf(e.schema);
  if (lit) return JSON.stringify(lit.value);
  const m = e.message.replace(/^expected\s+/i, '');
  return m.charAt(0).toLowerCase() + m.slice(1);
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
      return `found ${describeValue(e.value)}; expected ${expected(e.schema, typeboxExpected(e))}`;
  }
}

/** A union fault: the detail(s) to report instead of TypeBox's "Expected union value". */
type UnionVerdict =
  { kind: 'detail'; pointer: string; message: string } | { kind: 'variant'; errors: ValueError[] };

/**
 * Decides how a value that fits no variant of a union is reported:
 * - a union of literals (a fixed list): at the union's pointer, naming every allowed value once;
 * - a union of objects told apart by a literal key (`distribution`, `name`): when the value's key
 *   names a variant, that variant's faults; when it names none or is missing, a fault at the key
 *   naming every allowed value;
 * - otherwise the variant the value comes closest to: one whose faults all lie inside the value
 *   (it has the variant's type) before one refused as a whole, then fewest faults, then the first;
 *   when every variant refuses the value as a whole and the union has a description, that.
 */
function unionVerdict(e: ValueError): UnionVerdict {
  const variants = (e.schema as { anyOf?: TSchema[] }).anyOf ?? [];
  const choices = literalChoices(e.schema);
  if (choices) {
    return {
      kind: 'detail',
      pointer: e.path,
      message: `found ${describeValue(e.value)}; expected ${expectedChoices(e.schema, choices)}`,
    };
  }
  const lists = e.errors.map((it) => [...it]);
  const tag = discriminator(variants);
  if (tag && typeof e.value === 'object' && e.value !== null && !Array.isArray(e.value)) {
    const pointer = `${e.path}/${pointerToken(tag.key)}`;
    const obj = e.value as Record<string, unknown>;
    const allowed = describeChoices(tag.values);
    if (!Object.hasOwn(obj, tag.key))
      return {
        kind: 'detail',
        pointer,
        message: `missing required key "${tag.key}"; expected ${allowed}`,
      };
    let best: ValueError[] | undefined;
    tag.values.forEach((v, i) => {
      const list = lists[i];
      if (v === obj[tag.key] && list && (best === undefined || list.length < best.length))
        best = list;
    });
    if (best === undefined)
      return {
        kind: 'detail',
        pointer,
        message: `found ${describeValue(obj[tag.key])}; expected ${allowed}`,
      };
    return { kind: 'variant', errors: best };
  }
  const whole = (list: ValueError[]): boolean => list.some((x) => x.path === e.path);
  let best: ValueError[] | undefined;
  for (const list of lists) {
    if (
      best === undefined ||
      (whole(best) && !whole(list)) ||
      (whole(best) === whole(list) && list.length < best.length)
    )
      best = list;
  }
  if (best !== undefined && whole(best) && typeof e.schema.description === 'string') {
    return {
      kind: 'detail',
      pointer: e.path,
      message: `found ${describeValue(e.value)}; expected ${e.schema.description}`,
    };
  }
  return { kind: 'variant', errors: best ?? [] };
}

/**
 * Every schema fault of `value`, at most one per pointer (the first TypeBox reports: a missing
 * key is reported as missing, not also as "found undefined"). A value outside a fixed list of
 * values is reported naming every allowed value once; a value that fits no variant of another
 * union is reported by the faults of the variant it names (a literal key such as `distribution`)
 * or comes closest to, so the pointer reaches inside it: `/operators/handlingSeconds/mean`, not
 * only `/operators/handlingSeconds` (see {@link unionVerdict}). Never throws; [] when it fits.
 */
export function schemaErrors(schema: TSchema, value: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const seen = new Set<string>();
  const push = (pointer: string, text: string): void => {
    if (seen.has(pointer)) return;
    seen.add(pointer);
    out.push({ pointer, message: text });
  };
  const add = (errors: Iterable<ValueError>): void => {
    for (const e of errors) {
      if (e.type === ValueErrorType.Union && e.errors.length > 0) {
        const verdict = unionVerdict(e);
        if (verdict.kind === 'detail') {
          push(verdict.pointer, verdict.message);
          continue;
        }
        if (verdict.errors.length > 0) {
          add(verdict.errors);
          continue;
        }
      }
      push(e.path, message(e));
    }
  };
  add(Value.Errors(schema, value));
  return out;
}
