// Pure: the operator's own token (RFID card, app user) as entered through the admin API, the CLI or a bulk
// import, validated. No I/O.
import { InvalidInput } from '../shared/errors.ts';
import { findRepeats, readBulkArray } from '../shared/bulk.ts';
import type { TokenType, Whitelist } from './token.types.ts';

const TYPES: TokenType[] = ['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID'];
const WHITELISTS: Whitelist[] = ['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER'];

export interface LocalTokenInput {
  uid: string;
  type?: string;
  groupId?: string;
  contractId?: string;
  visualNumber?: string;
  whitelist?: string;
  expiryDate?: string;
}

/** A local token ready to store under the default party. */
export interface LocalToken {
  uid: string;
  type: TokenType;
  contractId: string;
  visualNumber: string | null;
  groupId: string | null;
  whitelist: Whitelist;
  expiryDate: Date | null;
}

/** Checks a local token's fields; throws InvalidInput naming the field. */
export function readLocalToken(input: LocalTokenInput): LocalToken {
  // OCPP 1.6 idTag is CiString20; OCPI Token.uid is CiString(36): the stricter rule applies to chargers.
  if (!/^[\x20-\x7e]{1,20}$/.test(input.uid)) throw new InvalidInput('uid: must be 1-20 printable ASCII characters (OCPP 1.6 idTag)');
  const type = (input.type ?? 'RFID') as TokenType;
  if (!TYPES.includes(type)) throw new InvalidInput(`type: must be one of ${TYPES.join(', ')}`);
  const whitelist = (input.whitelist ?? 'ALLOWED') as Whitelist;
  if (!WHITELISTS.includes(whitelist)) throw new InvalidInput(`whitelist: must be one of ${WHITELISTS.join(', ')}`);
  if (input.groupId !== undefined && (input.groupId.length === 0 || input.groupId.length > 36)) throw new InvalidInput('group: must be 1-36 characters');
  const expiry = input.expiryDate ? new Date(input.expiryDate) : null;
  if (expiry && Number.isNaN(expiry.getTime())) throw new InvalidInput('expiryDate: must be an ISO 8601 date-time');
  return { uid: input.uid, type, contractId: input.contractId ?? input.uid, visualNumber: input.visualNumber ?? null, groupId: input.groupId ?? null, whitelist, expiryDate: expiry };
}

// The admin API's limits of each field (OCPI 2.2.1 tokens §12.3.2: contract_id CiString(36), visual_number
// string(64), group_id CiString(36)).
const FIELD_MAX: Record<keyof LocalTokenInput, number> = { uid: 36, type: 20, groupId: 36, contractId: 36, visualNumber: 64, whitelist: 20, expiryDate: 40 };

/** One row of a bulk token import: an object of optional strings (empty = not given). */
export function readLocalTokenRow(v: unknown): LocalToken {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidInput('row: must be a JSON object');
  const input: Record<string, string> = {};
  for (const [field, value] of Object.entries(v)) {
    const max = FIELD_MAX[field as keyof LocalTokenInput];
    if (max === undefined) throw new InvalidInput(`${field}: unknown field (allowed: ${Object.keys(FIELD_MAX).join(', ')})`);
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || value.length > max) throw new InvalidInput(`${field}: must be a string of at most ${max} characters`);
    input[field] = value;
  }
  if (input.uid === undefined) throw new InvalidInput('uid: required');
  return readLocalToken(input as unknown as LocalTokenInput);
}

/** Every row of a bulk token import with one error per bad row (a uid and type given twice too). */
export function readLocalTokenRows(body: unknown): { rows: Array<LocalToken | undefined>; ids: Array<string | null>; errors: Map<number, string> } {
  const items = readBulkArray(body);
  const errors = new Map<number, string>();
  const rows = items.map((item, i) => {
    try {
      return readLocalTokenRow(item);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      errors.set(i, err.message);
      return undefined;
    }
  });
  // OCPI 2.2.1 tokens §12.3.2: uid and type identify a token of a party.
  for (const [i, first] of findRepeats(rows, (r) => r && `${r.type}/${r.uid}`)) errors.set(i, `uid: token ${rows[i]!.uid} (${rows[i]!.type}) is in row ${first} too`);
  const ids = items.map((item, i) => rows[i]?.uid ?? uidOf(item));
  return { rows, ids, errors };
}

function uidOf(item: unknown): string | null {
  const uid = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).uid : undefined;
  return typeof uid === 'string' ? uid : null;
}
