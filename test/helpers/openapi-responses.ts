// Every JSON answer of the admin API that an e2e test receives through `t.api` is checked against the schema the
// OpenAPI document gives for its route and status (issue 14): documentation and behaviour cannot drift apart.
// A mismatch throws from `t.api`, naming the route, the status and the first schema error.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

interface Operation {
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: { responses?: Record<string, unknown> } };

const doc = load(readFileSync(new URL('../../src/admin/openapi.yaml', import.meta.url), 'utf8')) as Doc;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
addFormats(ajv);
ajv.addSchema(doc as object, 'api');

/** Documented paths as regular expressions, literal segments before parameters (`/chargers/bulk` before `/chargers/{id}`). */
const routes = Object.keys(doc.paths)
  .map((p) => ({ path: p, re: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`), params: (p.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.params - b.params);

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const compiled = new Map<string, ValidateFunction | null>();

/** The validator of a route's answer with `status`, or null when the document gives no JSON schema for it. */
function validatorFor(path: string, method: string, status: number): ValidateFunction | null {
  const key = `${method} ${path} ${status}`;
  if (compiled.has(key)) return compiled.get(key)!;
  const op = doc.paths[path]?.[method];
  // An error status the operation does not list is one of the API's general answers (401, 403, 413…): the Error schema.
  const code = op?.responses?.[String(status)] ? String(status) : op?.responses?.default ? 'default' : status >= 400 ? 'error' : undefined;
  let fn: ValidateFunction | null = null;
  if (op && code) {
    let response = code === 'error' ? { $ref: '#/components/responses/Error' } : op.responses![code];
    let base = pointer('paths', path, method, 'responses', code);
    if (response.$ref) {
      const name = response.$ref.replace('#/components/responses/', '');
      response = doc.components.responses?.[name] as typeof response;
      base = pointer('components', 'responses', name);
    }
    if (response?.content?.['application/json']?.schema) fn = ajv.compile({ $ref: `api#/${base}/content/${pointer('application/json')}/schema` });
  }
  compiled.set(key, fn);
  return fn;
}

/** Throws when `body` (a JSON answer of `METHOD url`) does not match its documented schema. */
export function checkDocumentedAnswer(method: string, url: string, status: number, body: unknown): void {
  const pathname = new URL(url, 'http://x').pathname;
  if (!pathname.startsWith('/api/v1/')) return;
  const rel = pathname.slice('/api/v1'.length);
  const m = method.toLowerCase();
  const route = routes.find((r) => r.re.test(rel) && doc.paths[r.path][m]);
  if (!route) return; // an undocumented route: the OpenAPI test names it
  const validate = validatorFor(route.path, m, status);
  if (!validate) {
    if (!doc.paths[route.path][m].responses?.[String(status)] && status < 400) {
      throw new Error(`OpenAPI: ${method} ${route.path} answered ${status}, a status the document does not give for it`);
    }
    return;
  }
  if (!validate(body)) {
    const e = validate.errors![0];
    throw new Error(`OpenAPI: ${method} ${route.path} ${status}: the answer does not match the documented schema: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
