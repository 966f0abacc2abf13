/**
 * Whether a document fits the scenario schema (./schema.ts), without saying why not: the fast
 * path of {@link resolveScenario}, which asks `schemaErrors` for the faults only when this says
 * no (the same TypeBox semantics, so the two agree on every value).
 *
 * From the sources (tests, `dist/`), the check is TypeBox's TypeCompiler output, compiled on
 * first use. In the bundle that the `sortline` command loads, scripts/bundle.mjs replaces this
 * module with the same code generated at build time (`TypeCompiler.Code` of each schema in
 * {@link CHECKED_SCHEMAS}): a start-up neither builds the schema nor compiles a check.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { scenarioSchemas, type ScenarioDoc, type ScenarioSchemas } from './schema.js';

/** The schema each check of this module holds a value against, by export name (for the bundle). */
export const CHECKED_SCHEMAS = {
  fitsScenarioSchema: () => scenarioSchemas().Scenario,
};

let scenario: TypeCheck<ScenarioSchemas['Scenario']> | undefined;

/** True when `doc` fits the `Scenario` schema (every key known, every value of its type and range). */
export function fitsScenarioSchema(doc: unknown): doc is ScenarioDoc {
  return (scenario ??= TypeCompiler.Compile(CHECKED_SCHEMAS.fitsScenarioSchema())).Check(doc);
}
