// Multi-row statements of the MeterValues group commit (issue 8): each takes the rows of a whole batch as
// a few parameters (one array literal per column, or one JSON document), so a batch costs the same few
// statements whatever its size and never meets PostgreSQL's 65,535 bind parameters limit.
import { inPairs, toArrayLiteral } from '../db/array-literal.ts';
import { dbNow } from '../db/clock.ts';
import { isTransaction } from '../db/in-transaction.ts';
import type { Db } from '../db/knex.ts';
import type { Sample } from './meter-values.ts';
import { SAMPLE_KEY } from './session.repo.ts';

type Row = Record<string, any>;

/** A sample to store, with its charger, connector and session. */
export interface SampleRow {
  chargePointId: string;
  connectorNumber: number;
  sessionFk: number | null;
  sample: Sample;
}

/** A session named by its charger and transaction id. */
export interface SessionRef {
  chargePointId: string;
  id: number;
  /** Its token is a roaming partner's and it is at a location: the partner follows it (SHARED). */
  isShared: boolean;
}

/** The sessions named by (chargePointId, transactionId) pairs; each transaction id is looked up within its charger only. */
export async function listSessionsOfChargePoints(db: Db, pairs: ReadonlyArray<readonly [string, number]>): Promise<SessionRef[]> {
  if (pairs.length === 0) return [];
  const rows = await db('sessions as s')
    .whereRaw(...inPairs(['s.charge_point_id', 's.id'], ['text', 'int'], pairs))
    .select('s.charge_point_id', 's.id', db.raw(`${SHARED} as is_shared`));
  return rows.map((r: Row) => ({ chargePointId: r.charge_point_id, id: Number(r.id), isShared: r.is_shared === true }));
}

/**
 * A batch's samples as few bytes as possible: a charger sends each reading (its charger, connector, session and
 * timestamp) with several samples and the same few kinds of sample (measurand, phase, unit, location, context,
 * format) in every reading, so each goes once into its own arrays and a sample is a reading's and a kind's
 * number, its value, and its numeric value only when that is not the value itself. The samples repeated
 * within the batch are left out (the first one is stored, as a single insert would).
 */
interface CompactSamples {
  params: string[];
  /** Per sample sent (in order), the index of its row in the rows given. */
  rowOf: number[];
  /** How many samples sent are of a session. */
  ofSession: number;
}

/** The same kind of sample: the sample key's columns besides the charger, connector and time. */
const isSameKind = (a: Sample, b: Sample) => a.measurand === b.measurand && a.phase === b.phase && a.unit === b.unit && a.location === b.location && a.context === b.context && a.format === b.format;

function compactSamples(rows: readonly SampleRow[]): CompactSamples {
  // A reading is (charger, connector, session, time); a time is (charger, connector, time), what the sample key
  // holds besides the kind. Rows come reading by reading, so a reading is looked up once, not per sample.
  const readings = new Map<string, number>();
  const times = new Map<string, number>();
  const timeOf: number[] = [0];
  // The first sample of each kind (kind n at n - 1: kinds are numbered from 1), and the numbers per measurand.
  const kinds: Sample[] = [];
  const kindsOf = new Map<string, number[]>();
  const kindAt: number[] = [];
  let position = 0;
  const rCp: string[] = [], rConnector: number[] = [], rSession: Array<number | null> = [], rAt: string[] = [];
  const kMeasurand: string[] = [], kPhase: Array<string | null> = [], kUnit: Array<string | null> = [], kLocation: string[] = [], kContext: string[] = [], kFormat: string[] = [];
  const xReading: number[] = [], xKind: number[] = [], xValue: string[] = [], xNumeric: Array<string | null> = [];
  const xEncoding: Array<string | null> = [], xSigning: Array<string | null> = [], xKey: Array<string | null> = [];
  // A sample's (time, kind) as one number: there are fewer kinds than rows.
  const seen = new Set<number>();
  const rowOf: number[] = [];
  let ofSession = 0;
  let previous: SampleRow | undefined;
  let reading = 0;
  rows.forEach((row, i) => {
    const s = row.sample;
    const isSameReading = previous !== undefined && previous.chargePointId === row.chargePointId && previous.connectorNumber === row.connectorNumber && previous.sessionFk === row.sessionFk && previous.sample.timestamp.getTime() === s.timestamp.getTime();
    previous = row;
    if (!isSameReading) {
      const time = `${row.chargePointId}\u0000${row.connectorNumber}\u0000${s.timestamp.getTime()}`;
      const readingKey = `${time}\u0000${row.sessionFk ?? ''}`;
      const known = readings.get(readingKey);
      if (known !== undefined) reading = known;
      else {
        reading = readings.size + 1;
        readings.set(readingKey, reading);
        if (!times.has(time)) times.set(time, times.size + 1);
        timeOf[reading] = times.get(time)!;
        rCp.push(row.chargePointId), rConnector.push(row.connectorNumber), rSession.push(row.sessionFk), rAt.push(s.timestamp.toISOString());
      }
    }
    // Kinds are few, and readings list them in the same order: the kind of the previous reading's sample at
    // the same place is tried first, then those of the same measurand, field by field.
    position = isSameReading ? position + 1 : 0;
    let kind: number | undefined = kindAt[position];
    if (kind === undefined || !isSameKind(kinds[kind - 1]!, s)) {
      const sameMeasurand = kindsOf.get(s.measurand) ?? kindsOf.set(s.measurand, []).get(s.measurand)!;
      kind = sameMeasurand.find((k) => isSameKind(kinds[k - 1]!, s));
      if (kind === undefined) {
        kind = kinds.push(s);
        sameMeasurand.push(kind);
        kMeasurand.push(s.measurand), kPhase.push(s.phase), kUnit.push(s.unit), kLocation.push(s.location), kContext.push(s.context), kFormat.push(s.format);
      }
      kindAt[position] = kind;
    }
    // The unique key leaves the session out: the same sample of one charger and time is stored once.
    const sampleKey = timeOf[reading]! * (rows.length + 1) + kind;
    if (seen.has(sampleKey)) return;
    seen.add(sampleKey);
    rowOf.push(i);
    if (row.sessionFk !== null) ofSession++;
    xReading.push(reading), xKind.push(kind), xValue.push(s.value);
    // NULL: the numeric value is the value itself; '': there is none (not a number).
    xNumeric.push(s.numeric === s.value ? null : (s.numeric ?? ''));
    if (s.signing) {
      // Shorter arrays of one unnest are padded with NULLs: a batch without signed samples sends none of them,
      // and the samples before the first signed one are filled in when it comes.
      while (xEncoding.length < xValue.length - 1) xEncoding.push(null), xSigning.push(null), xKey.push(null);
      xEncoding.push(s.signing.encodingMethod), xSigning.push(s.signing.signingMethod), xKey.push(s.signing.publicKey);
    }
  });
  const params = [
    ...[rCp, rConnector, rSession, rAt],
    ...[kMeasurand, kPhase, kUnit, kLocation, kContext, kFormat],
    ...[xReading, xKind, xValue, xNumeric, xEncoding, xSigning, xKey],
  ].map(toArrayLiteral);
  return { params, rowOf, ofSession };
}

// The batch's readings (r), kinds (k) and samples (x) of compactSamples, and the samples' rows to insert, in the
// order of the sample key (time first: migration 20261210000000), the batch's order within a time.
const SAMPLES = `r as (select * from unnest(?::text[], ?::int[], ?::int[], ?::timestamptz[]) with ordinality as r(charge_point_id, connector_number, session_fk, "timestamp", i)),
     k as (select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) with ordinality as k(measurand, phase, unit, location, context, format, i)),
     x as (select * from unnest(?::int[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
             with ordinality as x(reading, kind, value, numeric_text, encoding_method, signing_method, public_key, ord))`;
const INSERT_SAMPLES = `insert into meter_values (charge_point_id, connector_number, session_fk, timestamp, measurand, phase, unit, location, context, format, value, numeric_value,
                                encoding_method, signing_method, public_key, received_at)
      select r.charge_point_id, r.connector_number, r.session_fk, r."timestamp", k.measurand, k.phase, k.unit, k.location, k.context, k.format, x.value,
             case when x.numeric_text is null then x.value::numeric else nullif(x.numeric_text, '')::numeric end,
             x.encoding_method, x.signing_method, x.public_key, ?::timestamptz
        from x join r on r.i = x.reading join k on k.i = x.kind order by r."timestamp", x.ord`;

const UNIQUE_VIOLATION = '23505';

/**
 * Inserts every sample as a plain insert, which costs the database one pass through the sample key's index
 * per sample, where skipping the samples stored before (ON CONFLICT) costs it two. True when it did; false,
 * with nothing inserted, when a sample was stored before (a replay: rare) or by a concurrent batch. Inside a
 * transaction it runs under a savepoint, so that the failed insert leaves the transaction usable.
 */
async function insertEverySample(db: Db, params: readonly string[], at: Date): Promise<boolean> {
  const isInTransaction = isTransaction(db);
  if (isInTransaction) await db.raw('savepoint meter_samples');
  try {
    await db.raw(`with ${SAMPLES} ${INSERT_SAMPLES}`, [...params, at]);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    if (isInTransaction) await db.raw('rollback to savepoint meter_samples');
    return false;
  }
}

/**
 * Stores the samples not stored yet, in the order given (a sample repeated within the rows, or stored before,
 * is skipped; a concurrent insert of it is waited for). Returns, for each row given, whether it was stored,
 * for the rows of a session only (only those matter to what follows: energy, hooks). Usually one plain
 * insert of them all; when a sample was stored before, one that skips those stored, answering with one row
 * when every sample of a session was stored, otherwise with the numbers of those stored.
 */
export async function insertSampleRows(db: Db, rows: readonly SampleRow[]): Promise<boolean[]> {
  if (rows.length === 0) return [];
  const { params, rowOf, ofSession, isStored: isEveryStored } = prepareSamples(rows);
  const at = dbNow(db);
  let answer: Array<{ ord: string | number }>;
  if (await insertEverySample(db, params, at)) answer = [{ ord: 0 }];
  else {
    ({ rows: answer } = await db.raw(
      `with ${SAMPLES},
            stored as (${INSERT_SAMPLES}
              on conflict ${SAMPLE_KEY} do nothing
              returning session_fk, charge_point_id, connector_number, timestamp, measurand, phase, location, unit, context, format),
            n as (select count(*) as c from stored where session_fk is not null)
       select 0 as ord from n where n.c = ?
       union all
       select x.ord from x join r on r.i = x.reading join k on k.i = x.kind
         join stored t on t.charge_point_id = r.charge_point_id and t.connector_number = r.connector_number and t."timestamp" = r."timestamp" and t.measurand = k.measurand
                      and t.location = k.location and t.context = k.context and t.format = k.format and t.phase is not distinct from k.phase and t.unit is not distinct from k.unit
        where r.session_fk is not null and (select c from n) <> ?`,
      [...params, at, ofSession, ofSession],
    ));
  }
  if (answer.length === 1 && Number(answer[0]!.ord) === 0) return isEveryStored;
  const isStored = rows.map(() => false);
  for (const a of answer) isStored[rowOf[Number(a.ord) - 1]!] = true;
  return isStored;
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

const RAISE_ENERGY = `update sessions s
        set energy_wh = greatest(0, v.wh - s.meter_start_wh), last_meter_at = v.at,
            last_updated = case when ${SHARED} then ?::timestamptz else s.last_updated end,
            -- the NO_PROGRESS zombie rule (issue 15): when the energy last changed (s.energy_wh is the old value)
            energy_changed_at = case when s.energy_wh <> greatest(0, v.wh - s.meter_start_wh) then v.at else s.energy_changed_at end
       from unnest(?::int[], ?::bigint[], ?::timestamptz[]) as v(id, wh, at)
      where s.id = v.id and (s.last_meter_at is null or s.last_meter_at <= v.at) and s.stop_at is null
      returning s.id, ${SHARED} as is_partner_session`;

/** RAISE_ENERGY's parameters: the time of the change, then the updates as three arrays. */
const energyParams = (db: Db, updates: readonly EnergyUpdate[]): Array<Date | string> => [
  dbNow(db),
  toArrayLiteral(updates.map((u) => u.sessionId)),
  toArrayLiteral(updates.map((u) => u.registerWh)),
  toArrayLiteral(updates.map((u) => u.at.toISOString())),
];

const toEnergyUpdated = (r: Row): EnergyUpdated => ({ id: Number(r.id), isPartnerSession: r.is_partner_session === true });

/**
 * Raises each session's energy to its register reading unless a later reading is already stored or the
 * session stopped (many sessions in one statement); returns the sessions updated. `last_updated` (the OCPI
 * Session's, filtered by pulls and sent in PATCHes) moves with the energy only for the sessions an eMSP
 * follows: for the others the update then changes no indexed column and stays on its page (a HOT update,
 * which writes no index entry; the table keeps room for it, migration 20261209000000).
 */
export async function updateSessionsEnergy(db: Db, updates: readonly EnergyUpdate[]): Promise<EnergyUpdated[]> {
  if (updates.length === 0) return [];
  const { rows } = await db.raw(RAISE_ENERGY, energyParams(db, updates));
  return rows.map(toEnergyUpdated);
}

const SAMPLES_RAISING_ENERGY = `with ${SAMPLES}, stored as (${INSERT_SAMPLES}), raised as (${RAISE_ENERGY}) select id, is_partner_session from raised`;

/**
 * The statement is named (a prepared statement of each connection, on both databases): parsed once per connection
 * instead of for every batch. On the embedded database parsing and planning were half of a batch of 12 MeterValues'
 * time (2.8 → 1.6 ms measured alone). It is still planned for each execution's values (plan_cache_mode, knex.ts):
 * a generic plan made while the sessions table was small took 1-1.7 s per batch with 10,000 sessions.
 */
const SAMPLES_RAISING_ENERGY_NAME = 'cpms_samples_raising_energy';

/** A batch's samples ready for the inserts, and which rows an insert of them all stores. */
export interface PreparedSamples extends CompactSamples {
  /** Per row: stored when every sample is, for the rows of a session (the first of each sample repeated within the rows). */
  isStored: boolean[];
}

export function prepareSamples(rows: readonly SampleRow[]): PreparedSamples {
  const compact = compactSamples(rows);
  const isStored = rows.map(() => false);
  for (const i of compact.rowOf) isStored[i] = rows[i]!.sessionFk !== null;
  return { ...compact, isStored };
}

/**
 * Stores the prepared samples and raises the sessions' energy by `updates` in ONE statement and no transaction of
 * its own (issue 8): a batch whose sessions and connectors are all known costs one round trip. A statement stores
 * all of it or nothing: when a sample was stored before (a replay, or a concurrent batch), nothing is, and the
 * answer is undefined (the caller then writes the batch the long way: insertSampleRows, updateSessionsEnergy).
 */
export async function insertSamplesRaisingEnergy(db: Db, samples: PreparedSamples, updates: readonly EnergyUpdate[]): Promise<EnergyUpdated[] | undefined> {
  try {
    const { rows } = await db.raw(SAMPLES_RAISING_ENERGY, [...samples.params, dbNow(db), ...energyParams(db, updates)]).options({ name: SAMPLES_RAISING_ENERGY_NAME });
    return rows.map(toEnergyUpdated);
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    return undefined;
  }
}
