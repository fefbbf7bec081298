// Checks cpms's answers on its OCPI CPO interface against the official OCPI 2.2.1 OpenAPI description
// (ocpi/openapi-specification, vendored unmodified in test/fixtures/ocpi-openapi/, see its SOURCE.md),
// beside the project's own JSON Schemas (ocpi-schemas/, src/ocpi/validate.ts).
//
// Every YAML file of the description is registered with Ajv under its path (below a made-up base URL) as
// `$id`, so the cross-file `$ref`s ("../../components/schema.yaml#/components/schemas/OCPIResponse")
// resolve as written. `checkOcpiAnswer` finds the operation of the CPO interface matching a request and
// validates the answer body against the schema documented for its HTTP status. `checkOcpiAnswersOf`
// (called by startTestApp) makes every fetch to a test app's /ocpi/... run that check.
//
// Where the description is wrong against the OCPI 2.2.1 specification text, the file stays unmodified
// and the deviation is listed in OPENAPI_EXCEPTIONS, one entry each, with the spec section proving it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Where the vendored description lives, and the base URL its files get as `$id`. */
const SPEC_DIR = fileURLToPath(new URL('../fixtures/ocpi-openapi/2.2.1/', import.meta.url));
const BASE_ID = 'https://ocpi-openapi.invalid/2.2.1/';

/**
 * The interfaces cpms implements as a CPO (and as a platform connected to a Hub): the Sender interface
 * of the modules it owns, the Receiver interface of those the eMSP owns, and the configuration modules.
 */
const CPO_INTERFACES: ReadonlyArray<{ module: string; file: string }> = [
  { module: 'versions', file: 'modules/versions/interface.yaml' },
  { module: 'credentials', file: 'modules/credentials/interface.yaml' },
  { module: 'locations', file: 'modules/locations/sender-interface.yaml' },
  { module: 'sessions', file: 'modules/sessions/sender-interface.yaml' },
  { module: 'cdrs', file: 'modules/cdrs/sender-interface.yaml' },
  { module: 'tariffs', file: 'modules/tariffs/sender-interface.yaml' },
  { module: 'tokens', file: 'modules/tokens/receiver-interface.yaml' },
  { module: 'commands', file: 'modules/commands/receiver-interface.yaml' },
  { module: 'chargingprofiles', file: 'modules/chargingprofiles/receiver-interface.yaml' },
  { module: 'hubclientinfo', file: 'modules/hubclientinfo/receiver-interface.yaml' },
];

/**
 * A known error of the official description against the OCPI 2.2.1 specification text: schema errors
 * it matches are not reported. Each entry is as narrow as possible (module, path, status, the failing
 * place in the body and the ajv keyword) and names the spec section that proves the description wrong.
 */
export interface OpenApiException {
  /** undefined = every module. */
  module?: string;
  /** The spec path of the operation, e.g. '/locations/{location_id}'; undefined = all of the module. */
  path?: string;
  status?: number;
  /** Matches the ajv error's instancePath, e.g. /^\/data\/\d+\/evses$/. */
  instancePath: RegExp;
  keyword: string;
  /** Further narrows the excused errors: the ajv error and the value it is about. */
  accepts?: (error: ErrorObject, value: unknown) => boolean;
  /** Why the description is wrong, with the spec section (github:ocpi/ocpi, release-2.2.1-bugfixes). */
  reason: string;
}

/** OCPI DateTime without the timezone designator (types §16.2 DateTime type): 2016-12-29T17:45:09.2 */
const OCPI_DATETIME_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

export const OPENAPI_EXCEPTIONS: readonly OpenApiException[] = [
  {
    instancePath: /.*/,
    keyword: 'format',
    accepts: (e: ErrorObject, value: unknown) => e.params.format === 'date-time' && typeof value === 'string' && OCPI_DATETIME_WITHOUT_ZONE.test(value),
    reason: 'The description types every DateTime as `format: date-time` (RFC 3339 date-time, which requires Z or an offset), '
      + 'but OCPI 2.2.1 types §16.2 "DateTime type" says "The absence of the timezone designator implies a UTC timestamp" '
      + 'and lists 2015-06-29T20:39:09 and 2016-12-29T17:45:09.2 among the allowed formats. Only such zone-less '
      + 'timestamps are excused; any other date-time error is still reported.',
  },
];

interface Operation {
  module: string;
  method: string;
  /** As in the description, e.g. '/locations/{location_id}'. */
  path: string;
  pattern: RegExp;
  /** HTTP status → absolute ref of the JSON body's schema (undefined: the status has no JSON body). */
  responses: Map<number, string | undefined>;
}

type Json = Record<string, any>;

/** `a/b.yaml#/x` resolved against the file `from` (both below SPEC_DIR): [file, pointer]. */
function resolveRef(from: string, ref: string): [string, string] {
  const [file, pointer = ''] = ref.split('#');
  return [file ? new URL(file, BASE_ID + from).href.slice(BASE_ID.length) : from, pointer];
}

function atPointer(doc: unknown, pointer: string): any {
  return pointer.split('/').slice(1).reduce((node: any, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

const escapePointer = (part: string): string => part.replace(/~/g, '~0').replace(/\//g, '~1');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(path);
    return e.name.endsWith('.yaml') ? [relative(SPEC_DIR, path)] : [];
  });
}

class OcpiContract {
  private readonly ajv: Ajv2020;
  private readonly docs = new Map<string, Json>();
  readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    // strict: false: OpenAPI documents carry keywords JSON Schema does not know (example, x-enumDescriptions).
    this.ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, validateSchema: false });
    addFormats(this.ajv);
    // OCPI's own annotations of its enum types (closed / open list of values): nothing to validate.
    this.ajv.addFormat('enum', true);
    this.ajv.addFormat('open-enum', true);
    for (const file of yamlFiles(SPEC_DIR)) {
      const doc = load(readFileSync(join(SPEC_DIR, file), 'utf8')) as Json;
      this.docs.set(file, doc);
      this.ajv.addSchema(doc, BASE_ID + file);
    }
    for (const { module, file } of CPO_INTERFACES) this.addOperations(module, file);
  }

  private addOperations(module: string, file: string): void {
    const doc = this.docs.get(file);
    if (!doc) throw new Error(`ocpi-contract: ${file} is missing from ${SPEC_DIR}`);
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        if (!op?.responses) continue;
        const responses = new Map<number, string | undefined>();
        for (const [status, declared] of Object.entries(op.responses as Json)) {
          let [where, pointer] = [file, `/paths/${escapePointer(path)}/${method}/responses/${status}`];
          let response = declared as Json;
          if (response.$ref) {
            [where, pointer] = resolveRef(file, response.$ref);
            response = atPointer(this.docs.get(where), pointer);
          }
          const hasSchema = response?.content?.['application/json']?.schema !== undefined;
          responses.set(Number(status), hasSchema ? `${BASE_ID}${where}#${pointer}/content/application~1json/schema` : undefined);
        }
        const regex = path.split('/').map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
        this.operations.push({ module, method: method.toUpperCase(), path, pattern: new RegExp(`^${regex}/?$`), responses });
      }
    }
  }

  /** The operation matching a request path relative to /ocpi ('/2.2.1/locations/L1', '/versions'). */
  find(method: string, ocpiPath: string): Operation | undefined {
    const specPath = ocpiPath === '/2.2.1' || ocpiPath === '/2.2.1/' ? '/versions/2.2.1' : ocpiPath.startsWith('/2.2.1/') ? ocpiPath.slice('/2.2.1'.length) : ocpiPath;
    return this.operations.find((op) => op.method === method && op.pattern.test(specPath));
  }

  validator(ref: string): ValidateFunction {
    let v = this.validators.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, v);
    }
    return v;
  }
}

let contract: OcpiContract | undefined;
/** The description, loaded and compiled on first use. */
export function ocpiContract(): OcpiContract {
  contract ??= new OcpiContract();
  return contract;
}

/** Answers checked, and those that could not be: no operation (or status) in the CPO description. */
let checkedCount = 0;
const unchecked = new Map<string, number>();
let summaryRegistered = false;
/** Prints, once at exit, how many answers were checked and which could not be. */
function registerSummary(): void {
  if (summaryRegistered) return;
  summaryRegistered = true;
  process.once('exit', () => {
    const total = [...unchecked.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return;
    const kinds = [...unchecked.entries()].sort((a, b) => b[1] - a[1]);
    const list = kinds.slice(0, 15).map(([k, n]) => `  ${k} (${n})`).join('\n');
    console.log(`ocpi-contract: ${checkedCount} OCPI answer(s) checked against the official OpenAPI; ${total} not checked (not in the CPO description):\n${list}${kinds.length > 15 ? `\n  … ${kinds.length - 15} more` : ''}`);
  });
}
function countUnchecked(key: string): 'unchecked' {
  registerSummary();
  unchecked.set(key, (unchecked.get(key) ?? 0) + 1);
  return 'unchecked';
}
function countChecked(): 'checked' {
  registerSummary();
  checkedCount++;
  return 'checked';
}

/** The value an ajv error is about (its instancePath into the body it was given, kept by `verbose`). */
const valueAt = (e: ErrorObject): unknown => e.data;

const isExcepted = (op: Operation, status: number, e: ErrorObject): boolean =>
  OPENAPI_EXCEPTIONS.some((x) => (x.module === undefined || x.module === op.module) && (x.path === undefined || x.path === op.path) && (x.status === undefined || x.status === status)
    && x.keyword === e.keyword && x.instancePath.test(e.instancePath) && (x.accepts === undefined || x.accepts(e, valueAt(e))));

export class OcpiContractViolation extends Error {
  readonly code = 'OCPI_CONTRACT_VIOLATION';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Validates cpms's answer `body` (parsed JSON) with HTTP `status` to `method url` against the official
 * OCPI 2.2.1 description of the CPO interface. `url` is absolute or a path starting at /ocpi.
 * Returns 'checked' or 'unchecked' (no such operation or status documented: counted, summed up once at
 * exit); throws an OcpiContractViolation naming module, path, status and the first schema error.
 */
export function checkOcpiAnswer(method: string, url: string, status: number, body: unknown): 'checked' | 'unchecked' {
  const pathname = new URL(url, 'http://cpms.invalid').pathname;
  const m = /^\/ocpi(\/.*)$/.exec(pathname);
  const verb = method.toUpperCase();
  const op = m ? ocpiContract().find(verb, m[1]!) : undefined;
  if (!op) {
    return countUnchecked(`${verb} ${pathname}: no operation`);
  }
  if (!op.responses.has(status)) {
    return countUnchecked(`${verb} ${op.module} ${op.path}: HTTP ${status} not documented`);
  }
  const ref = op.responses.get(status);
  const where = `OCPI ${op.module} ${verb} ${op.path} (${verb} ${pathname}) HTTP ${status}`;
  if (ref === undefined) {
    if (body === undefined || body === '') return countChecked();
    throw new OcpiContractViolation(`${where}: the official OpenAPI documents no body, got ${JSON.stringify(body).slice(0, 200)}`);
  }
  const validate = ocpiContract().validator(ref);
  if (validate(body)) return countChecked();
  const errors = (validate.errors ?? []).filter((e) => !isExcepted(op, status, e));
  if (errors.length === 0) return countChecked();
  const [first] = errors;
  const value = atPointer(body, first!.instancePath);
  throw new OcpiContractViolation(
    `${where} violates the official OCPI OpenAPI: ${first!.instancePath || '(body)'} ${first!.message} `
    + `(${first!.keyword} at ${first!.schemaPath}; value ${JSON.stringify(value)?.slice(0, 200)})`
    + (errors.length > 1 ? `; ${errors.length - 1} more error(s)` : ''),
  );
}

/** Origins of running test apps whose /ocpi answers fetch checks. */
const cpmsOrigins = new Set<string>();
let fetchWrapped = false;

function requestOf(input: Parameters<typeof fetch>[0], init?: RequestInit): { url: URL; method: string } {
  if (input instanceof Request) return { url: new URL(input.url), method: init?.method ?? input.method };
  return { url: new URL(input instanceof URL ? input.href : input), method: init?.method ?? 'GET' };
}

/**
 * Runs checkOcpiAnswer on an answer to `method url` when `url` is a running test app's /ocpi/... (see
 * checkOcpiAnswersOf); other origins (eMSPs, nock) pass untouched. For helpers that send requests
 * themselves (raw-http.ts); `body` is the parsed JSON, or the text when it is not JSON.
 */
export function checkIfOcpiAnswerOfApp(method: string, url: URL, status: number, body: unknown): void {
  if (cpmsOrigins.has(url.origin) && url.pathname.startsWith('/ocpi')) checkOcpiAnswer(method, url.href, status, body);
}

/**
 * From now until the returned function is called, every fetch to `httpUrl`'s /ocpi/... is checked by
 * checkOcpiAnswer when its answer arrives (a violation rejects the fetch). Other origins (eMSPs, nock)
 * pass untouched.
 */
export function checkOcpiAnswersOf(httpUrl: string): () => void {
  const origin = new URL(httpUrl).origin;
  cpmsOrigins.add(origin);
  if (!fetchWrapped) {
    fetchWrapped = true;
    const inner = globalThis.fetch;
    globalThis.fetch = async function fetchCheckingOcpiAnswers(input, init) {
      const res = await inner(input, init);
      const { url, method } = requestOf(input, init);
      if (!cpmsOrigins.has(url.origin) || !url.pathname.startsWith('/ocpi')) return res;
      const text = await res.clone().text();
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: validated as the text, which fails any object schema with a clear message
      }
      checkIfOcpiAnswerOfApp(method, url, res.status, body);
      return res;
    };
  }
  return () => {
    cpmsOrigins.delete(origin);
  };
}
