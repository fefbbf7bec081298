// Field readers for untrusted JSON: each failure names the exact path, e.g.
// "cdr.charging_periods[2].dimensions[0].volume: must be a number".
import { InvalidInput } from '../shared/errors.ts';

export type JsonObject = Record<string, unknown>;

/** Throws InvalidInput for `path`. */
export function fail(path: string, problem: string): never {
  throw new InvalidInput(`${path}: ${problem}`);
}

/** The value at `path` as a JSON object. */
export function asObject(v: unknown, path: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  return v as JsonObject;
}

/** The value at `path` as an array with at least `min` items. */
export function asArray(v: unknown, path: string, min = 0): unknown[] {
  if (!Array.isArray(v)) fail(path, 'must be an array');
  if (v.length < min) fail(path, `must have at least ${min} item${min === 1 ? '' : 's'}`);
  return v;
}

/** A finite JSON number, optionally bounded below. */
export function asNumber(v: unknown, path: string, min?: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a number');
  if (min !== undefined && v < min) fail(path, `must be at least ${min}`);
  return v;
}

/** A non-negative integer. */
export function asCount(v: unknown, path: string): number {
  const n = asNumber(v, path, 0);
  if (!Number.isInteger(n)) fail(path, 'must be an integer');
  return n;
}

/** A string, optionally matching `re` (described by `shape` in the error). */
export function asString(v: unknown, path: string, re?: RegExp, shape?: string): string {
  if (typeof v !== 'string') fail(path, 'must be a string');
  if (re && !re.test(v)) fail(path, `must be ${shape ?? `of the form ${re.source}`}`);
  return v;
}

/** One of the listed strings. */
export function asEnum<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    fail(path, `must be one of ${values.join(', ')}`);
  }
  return v as T;
}

/** Reads `key` of `obj` with `read` when present (not undefined/null), else returns undefined. */
export function optional<T>(obj: JsonObject, key: string, path: string, read: (v: unknown, p: string) => T): T | undefined {
  const v = obj[key];
  return v === undefined || v === null ? undefined : read(v, `${path}.${key}`);
}

/** Reads `key` of `obj` with `read`, failing with "is required" when it is absent. */
export function required<T>(obj: JsonObject, key: string, path: string, read: (v: unknown, p: string) => T): T {
  const v = obj[key];
  if (v === undefined || v === null) fail(`${path}.${key}`, 'is required');
  return read(v, `${path}.${key}`);
}

const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

/** OCPI 2.2.1 types §16.2 DateTime: RFC 3339; no zone designator means UTC. Returns epoch ms. */
export function asDateTime(v: unknown, path: string): number {
  const s = asString(v, path, DATE_TIME_RE, 'an RFC 3339 date-time such as 2015-06-29T20:39:09Z');
  const ms = Date.parse(DATE_TIME_RE.exec(s)![2] ? s : `${s}Z`);
  if (Number.isNaN(ms)) fail(path, 'must be a valid date-time');
  return ms;
}
