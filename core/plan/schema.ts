/**
 * The JSON Schema of the sort plan document (docs/sort-plan.md), written with TypeBox.
 *
 * The schema checks shape, types, lengths and character sets. Rules are one flat object with
 * optional `postal` / `routing` / `id` fields rather than a union, so that a bad rule gets an
 * error at the exact field; "exactly one key field" and every cross-reference (destination
 * names, chute ids, duplicate keys) are checked in ./validate.ts. Each constrained string
 * carries a `description` that the validator turns into the "expected ..." part of its message.
 */
import { Type, type TSchema } from '@sinclair/typebox';

/** Limits of a plan document; docs/sort-plan.md lists the same figures. */
export const PLAN_LIMITS = {
  /** Characters in `version`. */
  versionLength: 128,
  /** Characters in a destination id, a destination name or a chute id. */
  idLength: 64,
  /** Characters in a destination `name`. */
  nameLength: 256,
  /** Characters in a postal prefix (GS1 AI 420 carries a postal code of up to 20 characters). */
  postalLength: 20,
  /** Characters in a routing prefix (GS1 AI 403 carries up to 30 characters). */
  routingLength: 30,
  /** Characters in a parcel identifier (an SSCC has 18 digits, a USPS IMpb up to 34). */
  parcelIdLength: 64,
  /** Destinations in one plan. */
  destinations: 100_000,
  /** Chutes of one destination. */
  chutesPerDestination: 256,
  /** Rules in one plan. */
  rules: 2_000_000,
} as const;

/** A postal-code prefix: digits and capital letters, possibly empty (then it matches every code of its country). */
const POSTAL_PREFIX_PATTERN = '^[0-9A-Z]*$';
/** One to three routing-code segments of digits and capital letters, joined by `-`. */
const ROUTING_PREFIX_PATTERN = '^[0-9A-Z]+(-[0-9A-Z]+){0,2}$';
/** An ISO 3166-1 numeric country code: exactly three digits. */
const COUNTRY_PATTERN = '^[0-9]{3}$';
/** A parcel identifier: visible ASCII characters (0x21–0x7E), no spaces. */
const PARCEL_ID_PATTERN = '^[!-~]+$';

function nonEmpty(maxLength: number, description: string): TSchema {
  return Type.String({ minLength: 1, maxLength, description });
}

/**
 * Builds the sort plan schema. TypeBox builds a schema at run time, so it is built on first use
 * ({@link sortPlanSchema}), not when the module loads: a valid plan is checked by the precompiled
 * check of ./check.ts, and the schema is needed only to say what is wrong with an invalid one.
 */
function buildSortPlanSchema() {
  const Country = Type.String({
    pattern: COUNTRY_PATTERN,
    description: 'an ISO 3166-1 numeric country code of exactly 3 digits, such as "156"',
  });

  const KeyKindName = Type.Union(
    [Type.Literal('routing'), Type.Literal('postal'), Type.Literal('id')],
    {
      description: 'one of "routing", "postal", "id"',
    },
  );

  const ChuteId = nonEmpty(
    PLAN_LIMITS.idLength,
    `a chute id of 1 to ${PLAN_LIMITS.idLength} characters`,
  );

  /** How a destination's chutes share its parcels. */
  const Assignment = Type.Union([Type.Literal('priority'), Type.Literal('round-robin')], {
    description:
      '"priority" (first chute that can take the parcel) or "round-robin" (each chute in turn)',
  });

  const Destination = Type.Object(
    {
      id: nonEmpty(
        PLAN_LIMITS.idLength,
        `a destination id of 1 to ${PLAN_LIMITS.idLength} characters`,
      ),
      name: Type.Optional(
        Type.String({
          maxLength: PLAN_LIMITS.nameLength,
          description: `a name of at most ${PLAN_LIMITS.nameLength} characters`,
        }),
      ),
      chutes: Type.Array(ChuteId, {
        minItems: 1,
        maxItems: PLAN_LIMITS.chutesPerDestination,
        description: `a list of 1 to ${PLAN_LIMITS.chutesPerDestination} chute ids, first choice first`,
      }),
      assignment: Type.Optional(Assignment),
    },
    {
      additionalProperties: false,
      description: 'a destination object {id, name?, chutes, assignment?}',
    },
  );

  const Rule = Type.Object(
    {
      postal: Type.Optional(
        Type.String({
          pattern: POSTAL_PREFIX_PATTERN,
          maxLength: PLAN_LIMITS.postalLength,
          description: `a postal-code prefix of 0 to ${PLAN_LIMITS.postalLength} characters from 0-9 and A-Z, such as "2253"`,
        }),
      ),
      country: Type.Optional(Country),
      routing: Type.Optional(
        Type.String({
          pattern: ROUTING_PREFIX_PATTERN,
          maxLength: PLAN_LIMITS.routingLength,
          description: `a routing-code prefix of 1 to 3 segments of 0-9 and A-Z joined by "-" (at most ${PLAN_LIMITS.routingLength} characters), such as "771", "771-K23" or "771-K23-05"`,
        }),
      ),
      id: Type.Optional(
        Type.String({
          pattern: PARCEL_ID_PATTERN,
          maxLength: PLAN_LIMITS.parcelIdLength,
          description: `a parcel identifier of 1 to ${PLAN_LIMITS.parcelIdLength} visible ASCII characters without spaces`,
        }),
      ),
      destination: nonEmpty(PLAN_LIMITS.idLength, 'the id of a destination of this plan'),
    },
    {
      additionalProperties: false,
      description: 'a rule object with one key field (postal, routing or id) and a destination',
    },
  );

  const Fallbacks = Type.Object(
    {
      noRead: ChuteId,
      noRule: ChuteId,
      multiRead: ChuteId,
      recirculationLimit: ChuteId,
      oversize: Type.Optional(ChuteId),
      noChute: Type.Optional(ChuteId),
    },
    {
      additionalProperties: false,
      description: 'an object naming the exception chute of each fallback reason',
    },
  );

  /**
   * The whole sort plan document. Its static shape is close to, but looser than,
   * `SortPlanDoc` (./types.ts): rules are not yet known to carry exactly one key.
   */
  const SortPlanSchema = Type.Object(
    {
      version: nonEmpty(
        PLAN_LIMITS.versionLength,
        `a version label of 1 to ${PLAN_LIMITS.versionLength} characters`,
      ),
      homeCountry: Country,
      assignment: Type.Optional(Assignment),
      keyPriority: Type.Optional(
        Type.Array(KeyKindName, {
          minItems: 1,
          maxItems: 3,
          uniqueItems: true,
          description: 'a list of 1 to 3 different key kinds from "routing", "postal", "id"',
        }),
      ),
      destinations: Type.Array(Destination, {
        maxItems: PLAN_LIMITS.destinations,
        description: `a list of at most ${PLAN_LIMITS.destinations} destinations`,
      }),
      rules: Type.Array(Rule, {
        maxItems: PLAN_LIMITS.rules,
        description: `a list of at most ${PLAN_LIMITS.rules} rules`,
      }),
      fallbacks: Fallbacks,
    },
    { additionalProperties: false, description: 'a sort plan object' },
  );
  return SortPlanSchema;
}

let built: ReturnType<typeof buildSortPlanSchema> | undefined;

/**
 * The whole sort plan document's schema (TypeBox), built on the first call and the same object
 * after it. Its static shape is close to, but looser than, `SortPlanDoc` (./types.ts): rules are
 * not yet known to carry exactly one key.
 */
export function sortPlanSchema(): ReturnType<typeof buildSortPlanSchema> {
  return (built ??= buildSortPlanSchema());
}
