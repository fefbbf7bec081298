// Multi-row statements of the MeterValues group commit (issue 8): each takes the rows of a whole batch as
// a few parameters (one array literal per column, or one JSON document), so a batch costs the same few
// statements whatever its size and never meets PostgreSQL's 65,535 bind parameters limit.
import { inPairs, toArrayLiteral } from '../db/array-literal.ts';
import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import type { Sample } from './meter-values.ts';

type Row = Record<string, any>;

/** A sample to store, with its charger, connector and session. */
export interface SampleRow {
  chargePointId: string;
  connectorNumber: number;
  sessionFk: number | null;
  sample: Sample;
}

/** The key of a stored sample (migration 20261204130002) as the insert returned it. */
export interface StoredKey {
  chargePointId: string;
  connectorNumber: number;
  timestamp: Date;
  measurand: string;
  phase: string | null;
  location: string;
  unit: string | null;
  context: string;
  format: string;
}

/** A session named by its charger and transaction id. */
export interface SessionRef {
  chargePointId: string;
  id: number;
}

/** The sessions named by (chargePointId, transactionId) pairs; each transaction id is looked up within its charger only. */
export async function listSessionsOfChargePoints(db: Db, pairs: ReadonlyArray<readonly [string, number]>): Promise<SessionRef[]> {
  if (pairs.length === 0) return [];
  const rows = await db('sessions').whereRaw(...inPairs(['charge_point_id', 'id'], ['text', 'int'], pairs)).select('charge_point_id', 'id');
  return rows.map((r: Row) => ({ chargePointId: r.charge_point_id, id: Number(r.id) }));
}

// The sample key (migration 20261204130002), NULLS NOT DISTINCT: a replayed sample conflicts with the stored one.
const SAMPLE_KEY = '(charge_point_id, connector_number, timestamp, measurand, phase, location, unit, context, format)';

/** One array literal per column of the samples, in the order of SAMPLE_UNNEST. */
function sampleColumns(rows: readonly SampleRow[]): string[] {
  const column = (f: (r: SampleRow) => string | number | null) => toArrayLiteral(rows.map(f));
  return [
    column((r) => r.chargePointId),
    column((r) => r.connectorNumber),
    column((r) => r.sessionFk),
    column((r) => r.sample.timestamp.toISOString()),
    column((r) => r.sample.measurand),
    column((r) => r.sample.phase),
    column((r) => r.sample.unit),
    column((r) => r.sample.location),
    column((r) => r.sample.context),
    column((r) => r.sample.format),
    column((r) => r.sample.value),
    column((r) => r.sample.numeric),
    column((r) => r.sample.signing?.encodingMethod ?? null),
    column((r) => r.sample.signing?.signingMethod ?? null),
    column((r) => r.sample.signing?.publicKey ?? null),
  ];
}

const SAMPLE_UNNEST = `unnest(?::text[], ?::int[], ?::int[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::text[], ?::text[], ?::text[])
  with ordinality as x(charge_point_id, connector_number, session_fk, "timestamp", measurand, phase, unit, location, context, format, value, numeric_value,
    encoding_method, signing_method, public_key, ord)`;

/**
 * Stores the samples not stored yet, in one statement, in the order given (a sample repeated within the
 * rows, or stored before, is skipped; a concurrent insert of it is waited for). Returns the keys of the
 * samples it stored for a session: only those matter to what follows (energy, hooks), and returning
 * nothing else keeps the answer small.
 */
export async function insertSampleRows(db: Db, rows: readonly SampleRow[]): Promise<StoredKey[]> {
  if (rows.length === 0) return [];
  const { rows: stored } = await db.raw(
    `with stored as (
       insert into meter_values (charge_point_id, connector_number, session_fk, timestamp, measurand, phase, unit, location, context, format, value, numeric_value,
                                 encoding_method, signing_method, public_key, received_at)
       select charge_point_id, connector_number, session_fk, "timestamp", measurand, phase, unit, location, context, format, value, numeric_value,
              encoding_method, signing_method, public_key, ?::timestamptz
         from ${SAMPLE_UNNEST} order by ord
       on conflict ${SAMPLE_KEY} do nothing
       returning session_fk, charge_point_id, connector_number, timestamp, measurand, phase, location, unit, context, format)
     select charge_point_id, connector_number, timestamp, measurand, phase, location, unit, context, format from stored where session_fk is not null`,
    [dbNow(db), ...sampleColumns(rows)],
  );
  return stored.map((r: Row) => ({ chargePointId: r.charge_point_id, connectorNumber: r.connector_number, timestamp: new Date(r.timestamp), measurand: r.measurand, phase: r.phase, location: r.location, unit: r.unit, context: r.context, format: r.format }));
}

/** A session's latest energy register reading of the batch. */
export interface EnergyUpdate {
  sessionId: number;
  registerWh: number;
  at: Date;
}

/** A session whose energy a batch raised. */
export interface EnergyUpdated {
  id: number;
  /** Its token is a roaming partner's and it is at a location (the partner is told of its progress). */
  isPartnerSession: boolean;
}

// A session an eMSP follows: its token is a roaming partner's and it is at a location (as sharedSessions of
// ocpi.repo.ts); only those are OCPI objects.
const SHARED = 's.location_id is not null and exists (select 1 from id_tokens t where t.id = s.token_fk and t.partner_fk is not null)';

/**
 * Raises each session's energy to its register reading unless a later reading is already stored or the
 * session stopped (many sessions in one statement); returns the sessions updated. `last_updated` (the OCPI
 * Session's, filtered by pulls and sent in PATCHes) moves with the energy only for the sessions an eMSP
 * follows: for the others the update then changes no indexed column and stays on its page (a HOT update,
 * which writes no index entry; the table keeps room for it, migration 20261209000000).
 */
export async function updateSessionsEnergy(db: Db, updates: readonly EnergyUpdate[]): Promise<EnergyUpdated[]> {
  if (updates.length === 0) return [];
  const { rows } = await db.raw(
    `update sessions s
        set energy_wh = greatest(0, v.wh - s.meter_start_wh), last_meter_at = v.at,
            last_updated = case when ${SHARED} then ?::timestamptz else s.last_updated end,
            -- the NO_PROGRESS zombie rule (issue 15): when the energy last changed (s.energy_wh is the old value)
            energy_changed_at = case when s.energy_wh <> greatest(0, v.wh - s.meter_start_wh) then v.at else s.energy_changed_at end
       from unnest(?::int[], ?::bigint[], ?::timestamptz[]) as v(id, wh, at)
      where s.id = v.id and (s.last_meter_at is null or s.last_meter_at <= v.at) and s.stop_at is null
      returning s.id, ${SHARED} as is_partner_session`,
    [dbNow(db), toArrayLiteral(updates.map((u) => u.sessionId)), toArrayLiteral(updates.map((u) => u.registerWh)), toArrayLiteral(updates.map((u) => u.at.toISOString()))],
  );
  return rows.map((r: Row) => ({ id: Number(r.id), isPartnerSession: r.is_partner_session === true }));
}
