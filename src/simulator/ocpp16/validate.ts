// Checks the server's commands against the official OCPP 1.6 JSON schemas (shipped in ocpp-rpc), as a
// strict charger does, and names the CALLERROR code of a violation (OCPP-J 1.6 §4.2.3). Each schema is
// compiled once per process, on first use, and shared by every simulated charger.
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { CallError } from '../errors.ts';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// ajv keyword → OCPP-J 1.6 CALLERROR code
const CODES: Record<string, string> = {
  type: 'TypeConstraintViolation',
  required: 'OccurenceConstraintViolation',
  minItems: 'OccurenceConstraintViolation',
  maxItems: 'OccurenceConstraintViolation',
  additionalProperties: 'FormationViolation',
};

let schemas: Map<string, object> | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(action: string): ValidateFunction | undefined {
  if (!schemas || !ajv) {
    const bundle = require('ocpp-rpc/lib/schemas/ocpp1_6.json') as Array<{ $id: string; $schema?: string }>;
    schemas = new Map(bundle.map(({ $id, $schema: _unused, ...schema }) => [$id, schema]));
    ajv = new Ajv({ allErrors: false, strict: false, strictNumbers: true, coerceTypes: false, multipleOfPrecision: 9 });
    addFormats(ajv);
  }
  const id = `urn:${action}.req`;
  let fn = compiled.get(id);
  if (!fn) {
    const schema = schemas.get(id);
    if (!schema) return undefined;
    fn = ajv.compile(schema);
    compiled.set(id, fn);
  }
  return fn;
}

/** Throws the CALLERROR a strict charger answers when `payload` is not a valid `<action>.req`. */
export function checkRequest(action: string, payload: unknown): void {
  const fn = validatorFor(action);
  if (!fn) throw new CallError('NotImplemented', `unknown action ${action}`);
  if (fn(payload)) return;
  const err = fn.errors![0];
  const where = err.instancePath ? err.instancePath.slice(1).replaceAll('/', '.') : '(payload)';
  throw new CallError(CODES[err.keyword] ?? 'PropertyConstraintViolation', `${where}: ${err.message}`);
}
