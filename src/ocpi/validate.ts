import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InvalidInput } from '../shared/errors.ts';
import { packageFile } from '../shared/package-files.ts';

// OCPI 2.2.1 JSON Schemas are data (ocpi-schemas/*.json, one file per object or type, linked by $ref).
// This module loads them once, derives the PATCH variants and compiles everything with ajv.
const SCHEMA_DIR = packageFile('ocpi-schemas/');
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Objects, classes and types that have their own file in ocpi-schemas/. */
export const OCPI_OBJECT_NAMES = [
  // types §16 and transport §4
  'CiString', 'String', 'DateTime', 'URL', 'DisplayText', 'Price', 'Envelope',
  // versions §6, credentials §7
  'Version', 'VersionDetails', 'Endpoint', 'Credentials', 'CredentialsRole',
  // locations §8
  'Location', 'EVSE', 'Connector', 'AdditionalGeoLocation', 'BusinessDetails', 'EnergyMix', 'EnergySource',
  'EnvironmentalImpact', 'ExceptionalPeriod', 'GeoLocation', 'Hours', 'Image', 'PublishTokenType', 'RegularHours',
  'StatusSchedule',
  // sessions §9, cdrs §10
  'Session', 'ChargingPreferences', 'CDR', 'CdrDimension', 'CdrLocation', 'CdrToken', 'ChargingPeriod', 'SignedData',
  'SignedValue',
  // tariffs §11, tokens §12
  'Tariff', 'TariffElement', 'PriceComponent', 'TariffRestrictions', 'Token', 'AuthorizationInfo', 'EnergyContract',
  'LocationReferences',
  // commands §13, charging profiles §14, hub client info §15
  'CommandResponse', 'CommandResult', 'CancelReservation', 'ReserveNow', 'StartSession', 'StopSession',
  'UnlockConnector', 'ChargingProfileResponse', 'ActiveChargingProfileResult', 'ChargingProfileResult',
  'ClearProfileResult', 'SetChargingProfile', 'ActiveChargingProfile', 'ChargingProfile', 'ChargingProfilePeriod',
  'ClientInfo',
] as const;

// Only these modules have a PATCH method (locations §8.2.2.3, sessions §9.2.2.3, tokens §12.2.1.3);
// tariffs, cdrs, commands, charging profiles, credentials and hubclientinfo answer PATCH with n/a.
const PATCH_OF = {
  LocationPatch: 'Location',
  EVSEPatch: 'EVSE',
  ConnectorPatch: 'Connector',
  SessionPatch: 'Session',
  TokenPatch: 'Token',
} as const;

export type OcpiObjectName = (typeof OCPI_OBJECT_NAMES)[number];
export type OcpiPatchName = keyof typeof PATCH_OF;
export type OcpiSchemaName = OcpiObjectName | OcpiPatchName;
export const OCPI_SCHEMA_NAMES: readonly OcpiSchemaName[] = [
  ...OCPI_OBJECT_NAMES,
  ...(Object.keys(PATCH_OF) as OcpiPatchName[]),
];

export type ValidationResult = { ok: true } | { ok: false; path: string; message: string };

export interface ValidateOptions {
  /** The value is a JSON array of `name` (e.g. a GET list response's data). */
  list?: boolean;
  /**
   * Reject properties that the spec does not define. Off by default: partners add their own fields.
   * Use it on what we produce (tests of our mappers and responses), where an unknown field is a typo.
   */
  strict?: boolean;
}

interface Registry {
  ajv: Ajv2020;
  lists: Map<OcpiSchemaName, ValidateFunction>;
}

const rawSchemas = loadSchemaFiles();
const registries: { lenient: Registry; strict?: Registry } = { lenient: buildRegistry(false) };

function loadSchemaFiles(): Map<string, AnySchemaObject> {
  const schemas = new Map<string, AnySchemaObject>();
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort()) {
    schemas.set(file.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')));
  }
  for (const name of OCPI_OBJECT_NAMES) {
    if (!schemas.has(name)) throw new Error(`ocpi-schemas/${name}.json is missing`);
  }
  for (const [patch, full] of Object.entries(PATCH_OF)) schemas.set(patch, toPatchSchema(patch, schemas.get(full)!));
  return schemas;
}

// OCPI 2.2.1 transport §4.1.4.3 and each module's PATCH: only the fields to change are sent, but
// `last_updated` is mandatory. Every field that is present must still be valid, nested objects in full.
function toPatchSchema(name: string, full: AnySchemaObject): AnySchemaObject {
  const id = String(full.$id);
  return {
    ...full,
    $id: `${id.slice(0, id.lastIndexOf('/') + 1)}${name}.json`,
    title: name,
    description: `PATCH body for ${String(full.title)}: every field optional except last_updated.`,
    required: ['last_updated'],
  };
}

// Strict mode: every object schema that lists its properties gets `additionalProperties: false`.
// Only nodes with `type: "object"` are touched, so `if`/`then` fragments keep their meaning.
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'enum' || key === 'const' ? value : closeObjects(value);
  if (out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function buildRegistry(strict: boolean): Registry {
  // Spec-exact validation: no type coercion, first error only, ajv strict mode on the schemas themselves.
  // strictRequired is off because rules like "at least one of uid, visual_number, group_id" (§8.4.20)
  // are anyOf branches holding only `required`.
  const ajv = new Ajv2020({ allErrors: false, coerceTypes: false, strict: true, strictRequired: false });
  addFormats(ajv);
  for (const schema of rawSchemas.values()) ajv.addSchema(strict ? (closeObjects(schema) as AnySchemaObject) : schema);
  for (const name of OCPI_SCHEMA_NAMES) compiled(ajv, name); // compile all up front: a broken schema fails at start-up
  return { ajv, lists: new Map() };
}

function idOf(name: OcpiSchemaName): string {
  return String(rawSchemas.get(name)!.$id);
}

function compiled(ajv: Ajv2020, name: OcpiSchemaName): ValidateFunction {
  const fn = ajv.getSchema(idOf(name));
  if (!fn) throw new Error(`OCPI schema ${name} did not compile`);
  return fn;
}

function validatorFor(name: OcpiSchemaName, options: ValidateOptions): ValidateFunction {
  if (!OCPI_SCHEMA_NAMES.includes(name)) throw new Error(`Unknown OCPI schema ${String(name)}`);
  const registry = options.strict ? (registries.strict ??= buildRegistry(true)) : registries.lenient;
  if (!options.list) return compiled(registry.ajv, name);
  let fn = registry.lists.get(name);
  if (!fn) {
    fn = registry.ajv.compile({ type: 'array', items: { $ref: idOf(name) } });
    registry.lists.set(name, fn);
  }
  return fn;
}

/** Renders a JSON pointer as `evses[0].connectors[0].power_type`, using the value to tell indexes from keys. */
function toFieldPath(pointer: string, root: unknown, prefix = ''): string {
  let path = prefix;
  let node = root;
  if (pointer === '') return path;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path = Array.isArray(node) ? `${path}[${key}]` : joinKey(path, key);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

function joinKey(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

// With allErrors off ajv stops at the first failing keyword, but anyOf/oneOf first record one error per
// failed branch; the combinator's own error is the one that describes the rule, so it wins.
function pickError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf') ?? errors[0];
}

function describe(errors: ErrorObject[], value: unknown, prefix: string): { path: string; message: string } {
  const err = pickError(errors);
  let path = toFieldPath(err.instancePath, value, prefix);
  // Name the missing or unknown field itself, not its parent object.
  if (err.keyword === 'required') path = joinKey(path, String(err.params.missingProperty));
  if (err.keyword === 'dependentRequired') path = joinKey(path, String(err.params.missingProperty));
  if (err.keyword === 'additionalProperties') path = joinKey(path, String(err.params.additionalProperty));
  const text = err.message ?? `failed ${err.keyword}`;
  return { path, message: path === '' ? text : `${path}: ${text}` };
}

function run(fn: ValidateFunction, value: unknown, prefix: string): ValidationResult {
  if (fn(value)) return { ok: true };
  return { ok: false, ...describe(fn.errors ?? [], value, prefix) };
}

/**
 * Validates `value` against an OCPI 2.2.1 schema. On failure, `message` is ready for an OCPI 2001
 * status_message, e.g. `evses[0].connectors[0].power_type: must be equal to one of the allowed values`.
 */
export function validateOcpi(name: OcpiSchemaName, value: unknown, options: ValidateOptions = {}): ValidationResult {
  return run(validatorFor(name, options), value, '');
}

/** Like validateOcpi, but throws InvalidInput (→ OCPI 2001) with the message of the first violation. */
export function assertOcpi<T = unknown>(
  name: OcpiSchemaName,
  value: unknown,
  options: ValidateOptions = {},
): asserts value is T {
  const result = validateOcpi(name, value, options);
  if (!result.ok) throw new InvalidInput(result.message);
}

/**
 * Validates a response envelope (transport §4.1.7) and, when `dataName` is given, requires `data` and
 * validates it too; paths then start with `data`, e.g. `data[0].uid`.
 */
export function validateOcpiEnvelope(
  value: unknown,
  dataName?: OcpiSchemaName,
  options: ValidateOptions = {},
): ValidationResult {
  const envelope = run(validatorFor('Envelope', { strict: options.strict }), value, '');
  if (!envelope.ok || dataName === undefined) return envelope;
  const { data } = value as { data?: unknown };
  if (data === undefined) return { ok: false, path: 'data', message: "data: must have required property 'data'" };
  return run(validatorFor(dataName, options), data, 'data');
}
