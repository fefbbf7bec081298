// Pure: the rows of a bulk charger import (POST /api/v1/chargers/bulk, `cpms charger import`) read from
// untrusted JSON, every row checked before anything is stored. No I/O.
import { InvalidInput } from '../shared/errors.ts';
import { findRepeats, readBulkArray } from '../shared/bulk.ts';
import { readConnectorSpecPatch, CONNECTOR_SPEC_FIELDS, type ConnectorSpecPatch } from './connector-spec.ts';

/** OCPP identity (chargeBoxIdentity): at most 48 characters in OCPP 1.6, URL-safe in the handshake path. */
export const CHARGER_ID = /^[A-Za-z0-9._:*@+-]{1,48}$/;
// OCPI 2.2.1 locations §8.3.2: EVSE.uid is a CiString(36), printable ASCII (types §16.1); Location.id CiString(36).
const EVSE_UID = /^[\x21-\x7e]{1,36}$/;
const LOCATION_ID = /^[\x21-\x7e]{1,36}$/;

export interface ImportConnector {
  connectorId: number;
  /** EVSE at the charger's location this connector goes on; default: connector 1 on the row's EVSE, n on `<evse>-n`. */
  evseUid?: string;
  spec: ConnectorSpecPatch;
}

export interface ChargerImportRow {
  id: string;
  /** undefined: cpms generates one and returns it once. */
  password?: string;
  locationId?: string;
  evseUid?: string;
  connectors: ImportConnector[];
}

const ROW_FIELDS = new Set(['id', 'password', 'locationId', 'evseUid', 'connectors']);
const CONNECTOR_FIELDS = new Set<string>(['connectorId', 'evseUid', ...CONNECTOR_SPEC_FIELDS]);

function readObject(v: unknown, what: string, allowed: ReadonlySet<string>): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidInput(`${what}: must be a JSON object`);
  const unknown = Object.keys(v).find((k) => !allowed.has(k));
  if (unknown) throw new InvalidInput(`${unknown}: unknown field (allowed: ${[...allowed].join(', ')})`);
  return v as Record<string, unknown>;
}

function optionalMatch(o: Record<string, unknown>, field: string, re: RegExp, rule: string): string | undefined {
  const v = o[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !re.test(v)) throw new InvalidInput(`${field}: must be ${rule}`);
  return v;
}

function readConnector(v: unknown, maxConnectorId: number): ImportConnector {
  const c = readObject(v, 'connectors[]', CONNECTOR_FIELDS);
  const id = c.connectorId;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > maxConnectorId) throw new InvalidInput(`connectorId: must be an integer from 1 to ${maxConnectorId}`);
  const evseUid = optionalMatch(c, 'evseUid', EVSE_UID, '1-36 printable ASCII characters (OCPI CiString(36))');
  return { connectorId: id, evseUid, spec: readConnectorSpecPatch(c) };
}

function readConnectors(v: unknown, maxConnectorId: number): ImportConnector[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > maxConnectorId) throw new InvalidInput(`connectors: must be an array of at most ${maxConnectorId} connectors`);
  const connectors = v.map((c) => readConnector(c, maxConnectorId));
  const [repeat] = findRepeats(connectors, (c) => String(c.connectorId)).keys();
  if (repeat !== undefined) throw new InvalidInput(`connectors: connectorId ${connectors[repeat].connectorId} is given twice`);
  return connectors;
}

/** One row; throws InvalidInput naming the field. `maxConnectorId`: config ocpp.maxConnectorId. */
export function readChargerRow(v: unknown, maxConnectorId: number): ChargerImportRow {
  const o = readObject(v, 'row', ROW_FIELDS);
  if (typeof o.id !== 'string' || !CHARGER_ID.test(o.id)) throw new InvalidInput('id: must be 1-48 characters of letters, digits and ._:*@+-');
  const password = o.password === undefined || o.password === null || o.password === '' ? undefined : o.password;
  // OCPP security profile 1: the Basic auth password of the charger.
  if (password !== undefined && (typeof password !== 'string' || password.length < 8 || password.length > 40)) throw new InvalidInput('password: must be 8-40 characters (OCPP security profile 1), or empty to have one generated');
  const locationId = optionalMatch(o, 'locationId', LOCATION_ID, '1-36 printable ASCII characters');
  const evseUid = optionalMatch(o, 'evseUid', EVSE_UID, '1-36 printable ASCII characters (OCPI CiString(36))');
  const connectors = readConnectors(o.connectors, maxConnectorId);
  if (evseUid && !locationId) throw new InvalidInput('evseUid: needs a locationId');
  if (!locationId && connectors.some((c) => c.evseUid)) throw new InvalidInput('connectors: an evseUid needs the row\'s locationId');
  return { id: o.id, password: password as string | undefined, locationId, evseUid, connectors };
}

export interface ReadChargerRows {
  rows: Array<ChargerImportRow | undefined>;
  /** Row ids as given (for the results), null where there is none. */
  ids: Array<string | null>;
  /** Error by row index; empty when every row is good. */
  errors: Map<number, string>;
}

/**
 * Every row of a bulk charger import, with one error per bad row: malformed fields, and an id or EVSE uid
 * given by an earlier row too. Throws InvalidInput only when the body is not an array of 1..10,000 rows.
 */
export function readChargerRows(body: unknown, maxConnectorId: number): ReadChargerRows {
  const items = readBulkArray(body);
  const errors = new Map<number, string>();
  const rows = items.map((item, i) => {
    try {
      return readChargerRow(item, maxConnectorId);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      errors.set(i, err.message);
      return undefined;
    }
  });
  for (const [i, first] of findRepeats(rows, (r) => r?.id)) errors.set(i, `id: charger ${rows[i]!.id} is in row ${first} too`);
  // An EVSE holds one charger's connectors (locations §8.3.2): two rows naming one EVSE cannot both have it.
  const evseOf = rows.flatMap((r, i) => (r ? [r.evseUid, ...r.connectors.map((c) => c.evseUid)].filter((u) => u !== undefined).map((uid) => ({ i, uid })) : []));
  const uniquePerRow = [...new Map(evseOf.map((e) => [`${e.i}/${e.uid}`, e])).values()];
  for (const [k, first] of findRepeats(uniquePerRow, (e) => e.uid)) {
    const { i, uid } = uniquePerRow[k];
    if (!errors.has(i)) errors.set(i, `evseUid: EVSE ${uid} is named by row ${uniquePerRow[first].i} too (an EVSE holds one charger's connectors)`);
  }
  const ids = items.map((item, i) => rows[i]?.id ?? idOf(item));
  return { rows, ids, errors };
}

function idOf(item: unknown): string | null {
  const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
  return typeof id === 'string' ? id : null;
}
