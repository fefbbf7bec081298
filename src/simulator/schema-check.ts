// Checks OCPP-J frames against the official JSON schemas of one OCPP version (shipped in ocpp-rpc), as a
// strict charger does, and names the CALLERROR code of a violation from the version's own table (OCPP-J 1.6
// §4.2.3, OCPP 2.0.1 Part 4 §4.3). Each schema is compiled once per process, on first use, and shared by
// every simulated charger of that version.
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { CallError } from './errors.ts';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface SchemaChecker {
  /** Throws the CALLERROR a strict charger answers when `payload` is not a valid `<action>.req`. */
  checkRequest(action: string, payload: unknown): void;
  /** What is wrong with a frame of ours (`req` we send, `conf` we answer), or undefined when it is valid. */
  violation(action: string, kind: 'req' | 'conf', payload: unknown): string | undefined;
}

/** A checker over the schema bundle `bundle` (e.g. `ocpp1_6.json`); `idOf` names an action's schema id. */
export function schemaChecker(o: { bundle: string; idOf(action: string, kind: 'req' | 'conf'): string; codes: Record<string, string>; fallbackCode: string }): SchemaChecker {
  let schemas: Map<string, object> | undefined;
  let ajv: Ajv | undefined;
  const compiled = new Map<string, ValidateFunction>();

  const validatorFor = (id: string): ValidateFunction | undefined => {
    if (!schemas || !ajv) {
      const bundle = require(`ocpp-rpc/lib/schemas/${o.bundle}`) as Array<{ $id: string; $schema?: string }>;
      schemas = new Map(bundle.map(({ $id, $schema: _unused, ...schema }) => [$id, schema]));
      ajv = new Ajv({ allErrors: false, strict: false, strictNumbers: true, coerceTypes: false, multipleOfPrecision: 9 });
      addFormats(ajv);
    }
    let fn = compiled.get(id);
    if (!fn) {
      const schema = schemas.get(id);
      if (!schema) return undefined;
      fn = ajv.compile(schema);
      compiled.set(id, fn);
    }
    return fn;
  };
  const describe = (fn: ValidateFunction) => {
    const err = fn.errors![0];
    const where = err.instancePath ? err.instancePath.slice(1).replaceAll('/', '.') : '(payload)';
    return { code: o.codes[err.keyword] ?? o.fallbackCode, message: `${where}: ${err.message}` };
  };
  return {
    checkRequest(action, payload) {
      const fn = validatorFor(o.idOf(action, 'req'));
      if (!fn) throw new CallError('NotImplemented', `unknown action ${action}`);
      if (fn(payload)) return;
      const { code, message } = describe(fn);
      throw new CallError(code, message);
    },
    violation(action, kind, payload) {
      const fn = validatorFor(o.idOf(action, kind));
      if (!fn) return `no ${kind} schema for ${action}`;
      return fn(payload) ? undefined : `${action}.${kind}: ${describe(fn).message}`;
    },
  };
}
