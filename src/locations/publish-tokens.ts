// Pure: reads the operator's `publishAllowedTo` of a location (OCPI 2.2.1 locations §8.3.1, PublishTokenType
// §8.4.20) from the admin API's camelCase into the OCPI wire objects stored and sent. No I/O.
import { InvalidInput } from '../shared/errors.ts';
import type { OcpiPublishToken } from './ocpi.types.ts';

/** OCPI 2.2.1 tokens §12.4.4 TokenType. */
export const TOKEN_TYPES = ['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID'] as const;

// types §16.1: CiString is printable ASCII; string is any printable text.
const CI_STRING = /^[\x20-\x7e]+$/;
const STRING = /^[^\x00-\x1f\x7f]+$/;
const FIELDS: Record<string, { wire: keyof OcpiPublishToken; max: number; chars: RegExp }> = {
  uid: { wire: 'uid', max: 36, chars: CI_STRING },
  type: { wire: 'type', max: 20, chars: CI_STRING },
  visualNumber: { wire: 'visual_number', max: 64, chars: STRING },
  issuer: { wire: 'issuer', max: 64, chars: STRING },
  groupId: { wire: 'group_id', max: 36, chars: CI_STRING },
};
/** More would only be a list of customers; OCPI sets no limit, the location row stores them all. */
export const MAX_PUBLISH_TOKENS = 1000;

function readEntry(raw: unknown, at: string): OcpiPublishToken {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidInput(`${at}: must be an object { uid, type, visualNumber, issuer, groupId }`);
  const out: OcpiPublishToken = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = FIELDS[key];
    if (!field) throw new InvalidInput(`${at}.${key}: unknown field (allowed: ${Object.keys(FIELDS).join(', ')})`);
    if (typeof value !== 'string' || value.length === 0 || value.length > field.max || !field.chars.test(value)) throw new InvalidInput(`${at}.${key}: must be a string of 1-${field.max} characters`);
    out[field.wire] = value;
  }
  if (out.type !== undefined && !(TOKEN_TYPES as readonly string[]).includes(out.type)) throw new InvalidInput(`${at}.type: must be one of ${TOKEN_TYPES.join(', ')}`);
  // §8.4.20: at least one of uid, visual_number, group_id; uid needs type; visual_number needs issuer.
  if (out.uid === undefined && out.visual_number === undefined && out.group_id === undefined) throw new InvalidInput(`${at}: needs uid, visualNumber or groupId`);
  if (out.uid !== undefined && out.type === undefined) throw new InvalidInput(`${at}.type: required with uid`);
  if (out.visual_number !== undefined && out.issuer === undefined) throw new InvalidInput(`${at}.issuer: required with visualNumber`);
  return out;
}

/**
 * The publication of a location: `publish` and, only while it is false (§8.3.1: "may only be used when the
 * publish field is set to false"), the tokens whose owners may be shown it. Throws InvalidInput naming the field.
 */
export function readPublication(publish: unknown, allowedTo: unknown): { publish: boolean; publishAllowedTo: OcpiPublishToken[] | null } {
  if (typeof publish !== 'boolean') throw new InvalidInput('publish: must be true or false');
  if (allowedTo === undefined || allowedTo === null) return { publish, publishAllowedTo: null };
  if (!Array.isArray(allowedTo) || allowedTo.length > MAX_PUBLISH_TOKENS) throw new InvalidInput(`publishAllowedTo: must be a list of at most ${MAX_PUBLISH_TOKENS} tokens`);
  if (publish && allowedTo.length > 0) throw new InvalidInput('publishAllowedTo: may only be used when publish is false (OCPI 2.2.1 locations §8.3.1)');
  return { publish, publishAllowedTo: publish ? null : allowedTo.map((e, i) => readEntry(e, `publishAllowedTo[${i}]`)) };
}

/** The wire objects back in the admin API's camelCase. */
export function toAdminPublishTokens(tokens: readonly OcpiPublishToken[] | null): Array<Record<string, string>> | null {
  if (tokens === null) return null;
  return tokens.map((t) => Object.fromEntries(Object.entries(FIELDS).flatMap(([key, f]) => (t[f.wire] === undefined ? [] : [[key, t[f.wire]!]]))));
}
