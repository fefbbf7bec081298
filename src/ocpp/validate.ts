import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AJV_KEYWORD_CODES, OcppError, rpcCodeFor, type OcppProtocol } from './errors.ts';

// The official OCPP JSON schemas, shipped unmodified inside ocpp-rpc (one bundle per protocol, each
// schema with $id `urn:<Action>.req` / `urn:<Action>.conf`).
const require = createRequire(import.meta.url);
const BUNDLES: Record<OcppProtocol, string> = {
  'ocpp1.6': 'ocpp-rpc/lib/schemas/ocpp1_6.json',
  'ocpp2.0.1': 'ocpp-rpc/lib/schemas/ocpp2_0_1.json',
};
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface OcppValidator {
  readonly protocol: OcppProtocol;
  /** The actions that have a request schema in this protocol. */
  readonly actions: ReadonlySet<string>;
  /** Throws the CALLERROR for the first violation, or returns when `payload` is a valid `.req`/`.conf`. */
  check(action: string, kind: 'req' | 'conf', payload: unknown): void;
}

function describe(fn: ValidateFunction): { keyword: string; text: string } {
  const err = fn.errors![0];
  const where = err.instancePath ? err.instancePath.slice(1).replaceAll('/', '.') : '(payload)';
  const extra = err.keyword === 'additionalProperties' ? ` '${(err.params as { additionalProperty: string }).additionalProperty}'` : '';
  const allowed = err.keyword === 'enum' ? `: ${(err.params as { allowedValues: string[] }).allowedValues.join(', ')}` : '';
  return { keyword: err.keyword, text: `${where}: ${err.message}${extra}${allowed}` };
}

/** Compiles every schema of one protocol once. */
export function createOcppValidator(protocol: OcppProtocol): OcppValidator {
  const schemas = require(BUNDLES[protocol]) as Array<{ $id: string; $schema?: string }>;
  // multipleOfPrecision: OCPP 1.6 limits are `multipleOf: 0.1`, and 7.1 / 0.1 is not an integer in binary floats.
  const ajv = new Ajv({ allErrors: false, strict: false, strictNumbers: true, coerceTypes: false, multipleOfPrecision: 9 });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction>();
  // `urn:Action.req` is not a URN ajv's URI library accepts as $id; the ids key our map instead
  // (the schemas have only internal #/definitions refs).
  for (const { $schema: _schema, $id, ...schema } of schemas) {
    compiled.set($id, ajv.compile(schema));
  }
  const actions = new Set([...compiled.keys()].filter((id) => id.endsWith('.req')).map((id) => id.slice(4, -4)));
  return {
    protocol,
    actions,
    check(action, kind, payload) {
      const fn = compiled.get(`urn:${action}.${kind}`);
      if (!fn) throw new OcppError('NotImplemented', `Unknown action '${action}'`);
      if (fn(payload)) return;
      const { keyword, text } = describe(fn);
      throw new OcppError(rpcCodeFor(protocol, AJV_KEYWORD_CODES[keyword] ?? 'FormatViolation'), text);
    },
  };
}

/** The actions of one protocol (those with a request schema), without compiling anything. */
export function ocppActionNames(protocol: OcppProtocol): Set<string> {
  const schemas = require(BUNDLES[protocol]) as Array<{ $id: string }>;
  return new Set(schemas.map((s) => s.$id).filter((id) => id.endsWith('.req')).map((id) => id.slice(4, -4)));
}
