/**
 * The scenario document (`docs/scenario.md`): a hub to simulate — the loop sorter, its inducts,
 * chutes and operators, the parcel flow, the scanner and label model, and the sort plan. Schema in
 * TypeBox; every unknown key is an error. Units: lengths in metres, speeds in m/s, times in the
 * unit their name says, rates in parcels per hour (/h).
 */
import { Type, type Static } from '@sinclair/typebox';

/** Largest chute capacity (parcels); a chute without a limit is an exception chute without `capacity`. */
export const MAX_CHUTE_CAPACITY = 1_000_000;

/** Largest arrival rate (/h) and wave size (parcels): beyond any hub, and what a run can hold in memory. */
export const MAX_RATE_PER_HOUR = 1_000_000;
export const MAX_WAVE_PARCELS = 10_000_000;

/**
 * Builds the scenario schema and the sub-schemas it is made of. TypeBox builds a schema at run
 * time, so it is built on first use ({@link scenarioSchemas}), not when the module loads: a valid
 * scenario is checked by the precompiled check of ./check.ts, and the schema is needed only to
 * say what is wrong with an invalid one.
 */
function buildSchemas() {
  const Id = Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'an id of 1 to 64 characters',
  });
  const Probability = Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'a probability from 0 to 1',
  });
  const NonNegative = Type.Number({
    minimum: 0,
    maximum: 1e12,
    description: 'a number from 0 to 10¹²',
  });
  const Position = Type.Integer({
    minimum: 0,
    description: 'a loop position: an integer from 0 to carriers − 1',
  });

  /** A positive-valued distribution of a duration or a mass. */
  const Distribution = Type.Union(
    [
      Type.Object(
        {
          distribution: Type.Literal('constant'),
          value: Type.Number({ exclusiveMinimum: 0, description: 'a number > 0' }),
        },
        { additionalProperties: false },
      ),
      Type.Object(
        {
          distribution: Type.Literal('exponential'),
          mean: Type.Number({ exclusiveMinimum: 0, description: 'a mean > 0' }),
        },
        { additionalProperties: false },
      ),
      Type.Object(
        {
          distribution: Type.Literal('lognormal'),
          mean: Type.Number({ exclusiveMinimum: 0, description: 'a mean > 0' }),
          sd: Type.Number({ exclusiveMinimum: 0, description: 'a standard deviation > 0' }),
        },
        { additionalProperties: false },
      ),
    ],
    {
      description:
        'a distribution: {"distribution":"constant","value"}, {"distribution":"exponential","mean"} or {"distribution":"lognormal","mean","sd"}',
    },
  );

  const Capacity = Type.Integer({
    minimum: 1,
    maximum: MAX_CHUTE_CAPACITY,
    description: `parcels the chute holds before it is full, an integer from 1 to ${MAX_CHUTE_CAPACITY.toLocaleString('en-US')}`,
  });

  const Chute = Type.Object(
    {
      id: Id,
      position: Position,
      capacity: Type.Optional(Capacity),
    },
    { additionalProperties: false, description: 'a chute {"id","position","capacity"?}' },
  );

  const SlotPolicy = Type.Union(
    [
      Type.Object({ name: Type.Literal('first-empty') }, { additionalProperties: false }),
      Type.Object(
        {
          name: Type.Literal('reserve'),
          share: Type.Number({
            exclusiveMinimum: 0,
            maximum: 1,
            description: 'a share from 0 (exclusive) to 1',
          }),
          maxSlots: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 64, description: 'an integer from 1 to 64' }),
          ),
        },
        { additionalProperties: false },
      ),
    ],
    {
      description:
        'a slot policy: {"name":"first-empty"} or {"name":"reserve","share","maxSlots"?}',
    },
  );

  const Sorter = Type.Object(
    {
      type: Type.Optional(
        Type.Literal('loop', { description: '"loop" (cross-belt or tilt-tray loop sorter)' }),
      ),
      carriers: Type.Integer({
        minimum: 2,
        maximum: 1_000_000,
        description: 'the number of carriers, an integer from 2 to 1,000,000',
      }),
      pitch: Type.Number({ exclusiveMinimum: 0, description: 'the carrier pitch in metres, > 0' }),
      speed: Type.Number({ exclusiveMinimum: 0, description: 'the loop speed in m/s, > 0' }),
      recirculationLimit: Type.Integer({
        minimum: 0,
        maximum: 254,
        description: 'recirculations allowed before the exception chute, an integer from 0 to 254',
      }),
      slotPolicy: Type.Optional(SlotPolicy),
      inducts: Type.Object(
        {
          count: Type.Integer({
            minimum: 1,
            maximum: 1024,
            description: 'the number of inducts, an integer from 1 to 1024',
          }),
          cycleSeconds: Type.Number({
            exclusiveMinimum: 0,
            maximum: 3600,
            description: 'the induct cycle in seconds, > 0 and ≤ 3600',
          }),
          positions: Type.Optional(
            Type.Union([Type.Literal('even'), Type.Array(Position, { minItems: 1 })], {
              description:
                '"even" (induct i at i·carriers/count + first) or an array of one loop position per induct',
            }),
          ),
          first: Type.Optional(
            Type.Integer({
              minimum: 0,
              description:
                'the position of induct 0 when positions are "even", an integer from 0 to carriers − 1',
            }),
          ),
          weights: Type.Optional(
            Type.Array(NonNegative, {
              minItems: 1,
              description: 'the share of arrivals each induct gets (default equal)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      chuteCapacity: Capacity,
      chutes: Type.Array(Chute, { minItems: 1, description: 'the destination chutes' }),
      exceptionChutes: Type.Array(Chute, {
        minItems: 1,
        description: 'the exception (reject) chutes; capacity unlimited unless given',
      }),
    },
    { additionalProperties: false },
  );

  const Operators = Type.Object(
    {
      perChute: Type.Integer({
        minimum: 1,
        maximum: 16,
        description: 'operators clearing each destination chute, an integer from 1 to 16',
      }),
      handlingSeconds: Distribution,
    },
    { additionalProperties: false },
  );

  const Wave = Type.Object(
    {
      startHour: Type.Number({ minimum: 0, maximum: 8760, description: 'an hour from 0 to 8760' }),
      durationHours: Type.Number({
        exclusiveMinimum: 0,
        maximum: 8760,
        description: 'hours > 0 and ≤ 8760',
      }),
      parcels: Type.Integer({
        minimum: 1,
        maximum: MAX_WAVE_PARCELS,
        description: `parcels in the wave, an integer from 1 to ${MAX_WAVE_PARCELS.toLocaleString('en-US')}`,
      }),
      name: Type.Optional(Type.String()),
    },
    {
      additionalProperties: false,
      description: 'a truck wave {"startHour","durationHours","parcels"}',
    },
  );

  const Arrivals = Type.Object(
    {
      ratePerHour: Type.Array(
        Type.Number({
          minimum: 0,
          maximum: MAX_RATE_PER_HOUR,
          description: `parcels per hour from 0 to ${MAX_RATE_PER_HOUR.toLocaleString('en-US')}`,
        }),
        {
          minItems: 1,
          description:
            'Poisson arrival rate in parcels per hour for each simulated hour; the last value holds after',
        },
      ),
      waves: Type.Optional(Type.Array(Wave)),
    },
    { additionalProperties: false },
  );

  const Scanner = Type.Object(
    {
      readRate: Probability,
      duplicateReadRate: Type.Optional(Probability),
      secondLabelRate: Type.Optional(Probability),
      noReadToken: Type.Optional(Type.String({ maxLength: 32 })),
    },
    { additionalProperties: false },
  );

  const Labels = Type.Object(
    {
      aim: Type.Optional(
        Type.Union([Type.Literal(']C1'), Type.Literal(']d2'), Type.Literal(']Q3')], {
          description: 'the AIM symbology identifier: "]C1", "]d2" or "]Q3"',
        }),
      ),
      postalCodeLength: Type.Integer({
        minimum: 1,
        maximum: 9,
        description: 'characters of the printed postal code, an integer from 1 to 9',
      }),
      routingCodeShare: Type.Optional(Probability),
      weightKg: Type.Optional(Distribution),
      poolPerDestination: Type.Optional(
        Type.Integer({ minimum: 1, maximum: 4096, description: 'an integer from 1 to 4096' }),
      ),
      companyPrefix: Type.Optional(
        Type.String({
          pattern: '^[0-9]{7,10}$',
          description: 'a GS1 company prefix of 7 to 10 digits',
        }),
      ),
    },
    { additionalProperties: false },
  );

  const MixEntry = Type.Object(
    {
      destination: Id,
      weight: NonNegative,
    },
    { additionalProperties: false },
  );

  const Scenario = Type.Object(
    {
      $schema: Type.Optional(Type.String()),
      name: Id,
      description: Type.String(),
      seed: Type.Optional(Type.Integer({ description: 'an integer seed' })),
      hours: Type.Number({
        exclusiveMinimum: 0,
        maximum: 8760,
        description: 'simulated hours, > 0 and ≤ 8760',
      }),
      startTime: Type.Optional(
        Type.String({
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
          description:
            'the clock time at simulated hour 0, "HH:MM" on a 24-hour clock (default "00:00")',
        }),
      ),
      warmupHours: Type.Optional(
        Type.Number({
          minimum: 0,
          description: 'hours excluded from rate figures, ≥ 0 and below hours',
        }),
      ),
      sorter: Sorter,
      operators: Operators,
      arrivals: Arrivals,
      scanner: Scanner,
      labels: Labels,
      mix: Type.Array(MixEntry, {
        minItems: 1,
        description: 'the destination mix: [{"destination","weight"}]',
      }),
      plan: Type.Union(
        [Type.String({ minLength: 1 }), Type.Object({}, { additionalProperties: true })],
        {
          description:
            'the sort plan: inline (docs/sort-plan.md) or a path relative to the scenario file',
        },
      ),
    },
    { additionalProperties: false },
  );
  return { Distribution, Sorter, Operators, Arrivals, Scanner, Labels, Scenario };
}

/** The TypeBox schemas of the scenario document, built on the first call. */
export type ScenarioSchemas = ReturnType<typeof buildSchemas>;

let built: ScenarioSchemas | undefined;

/**
 * The scenario schemas (`Scenario` the whole document, and its parts), built on the first call
 * and the same objects after it.
 */
export function scenarioSchemas(): ScenarioSchemas {
  return (built ??= buildSchemas());
}

/** A positive-valued distribution of a duration or a mass. */
export type DistributionSpec = Static<ScenarioSchemas['Distribution']>;

/** A scenario document as validated by the `Scenario` schema. */
export type ScenarioDoc = Static<ScenarioSchemas['Scenario']>;
