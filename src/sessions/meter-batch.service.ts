// The MeterValues of many chargers written together (group commit, issue 8). A batch whose connectors and
// sessions are all known, none of them followed by a roaming partner, is ONE statement (samples insert and
// energy update, no transaction of its own): on the embedded database every statement of a transaction held
// its only connection for a round trip to the engine's thread, so a batch of five held it twice as long as the
// engine worked. Any other batch is a transaction: a sessions lookup when it names a transaction not seen
// before, a connector registration the first time a connector is seen, the samples insert, the energy update
// and the partner pushes.
import type { Knex } from 'knex';
import { ensureConnectorOf } from '../chargers/charger.service.ts';
import { latestEnergyRegisterWh, type Sample } from './meter-values.ts';
import { insertSampleRows, insertSamplesRaisingEnergy, listSessionsOfChargePoints, prepareSamples, updateSessionsEnergy, type EnergyUpdate, type EnergyUpdated, type SampleRow } from './meter-batch.repo.ts';
import type { KnownTransactions } from './known-transactions.ts';
import type { SessionMeterValuesHook } from './session.service.ts';

/** One MeterValues, validated: OCPP 1.6 §4.7 (connectorId 0 = the charge point's main meter). */
export interface MeterItem {
  chargePointId: string;
  connectorNumber: number;
  transactionId?: number;
  samples: Sample[];
}

export interface MeterResult {
  /** A transactionId was given that names no session of this charger (samples stored without one). */
  isUnknownTransaction: boolean;
  /** The session whose energy this message raised (emit `session.updated` after the commit). */
  updatedSessionId?: number;
}

export interface MeterBatchContext {
  hooks: readonly SessionMeterValuesHook[];
  /** Connectors known to exist: their registration is skipped (updated by the caller after the commit). */
  isKnownConnector(chargePointId: string, connectorNumber: number): boolean;
  /** Transactions found before to name a session of their charger (a transaction id is its session's id). */
  knownTransactions: KnownTransactions;
}

async function ensureConnectors(trx: Knex.Transaction, items: readonly MeterItem[], ctx: MeterBatchContext): Promise<void> {
  const seen = new Set<string>();
  for (const it of items) {
    const key = `${it.chargePointId}\u0000${it.connectorNumber}`;
    if (it.connectorNumber === 0 || seen.has(key) || ctx.isKnownConnector(it.chargePointId, it.connectorNumber)) continue;
    seen.add(key);
    // Connectors are learnt from every report naming them, as from StatusNotification and StartTransaction.
    await ensureConnectorOf(trx, it.chargePointId, it.connectorNumber);
  }
}

/** The samples each item stored, from the insert's answer per row (the rows are the items' samples in order). */
function attribute(items: readonly MeterItem[], isStored: readonly boolean[]): Sample[][] {
  let row = 0;
  return items.map((it) => it.samples.filter(() => isStored[row++]!));
}

/** Per session: the samples just stored. */
function storedPerSession(sessionOf: ReadonlyArray<number | undefined>, storedOf: readonly Sample[][]): Map<number, Sample[]> {
  const samplesOf = new Map<number, Sample[]>();
  sessionOf.forEach((id, i) => {
    if (id !== undefined && storedOf[i]!.length > 0) samplesOf.set(id, [...(samplesOf.get(id) ?? []), ...storedOf[i]!]);
  });
  return samplesOf;
}

/** Per session: its latest register reading among the samples just stored. */
function energyUpdates(samplesOf: ReadonlyMap<number, Sample[]>): EnergyUpdate[] {
  const updates: EnergyUpdate[] = [];
  for (const [sessionId, samples] of samplesOf) {
    const register = latestEnergyRegisterWh(samples);
    if (register) updates.push({ sessionId, registerWh: register.wh, at: register.at });
  }
  // The same order in every batch, so that concurrent batches tend to lock sessions alike; should they still
  // deadlock, the batch rolls back and its messages are written one by one.
  updates.sort((a, b) => a.sessionId - b.sessionId);
  return updates;
}

/** The session of each item naming a transaction of its charger (its id); the pairs not seen before are looked up in one statement. */
async function sessionsOf(trx: Knex.Transaction, items: readonly MeterItem[], known: KnownTransactions): Promise<Array<number | undefined>> {
  const unseen = items.filter((it) => it.transactionId !== undefined && !known.has(it.chargePointId, it.transactionId));
  for (const s of await listSessionsOfChargePoints(trx, unseen.map((it) => [it.chargePointId, it.transactionId!] as const))) known.add(s.chargePointId, s.id, s.isShared);
  return items.map((it) => (it.transactionId !== undefined && known.has(it.chargePointId, it.transactionId) ? it.transactionId : undefined));
}

/**
 * The session of each item when the batch can be one statement: every connector known, every transaction
 * known and none of them followed by a roaming partner (whose push must be enqueued in the same transaction).
 */
function sessionsIfOneStatement(items: readonly MeterItem[], ctx: MeterBatchContext): Array<number | undefined> | undefined {
  const sessionOf: Array<number | undefined> = [];
  for (const it of items) {
    if (it.connectorNumber !== 0 && !ctx.isKnownConnector(it.chargePointId, it.connectorNumber)) return undefined;
    if (it.transactionId !== undefined && ctx.knownTransactions.isShared(it.chargePointId, it.transactionId) !== false) return undefined;
    sessionOf.push(it.transactionId);
  }
  return sessionOf;
}

const sampleRowsOf = (items: readonly MeterItem[], sessionOf: ReadonlyArray<number | undefined>): SampleRow[] =>
  items.flatMap((it, i) => it.samples.map((sample) => ({ chargePointId: it.chargePointId, connectorNumber: it.connectorNumber, sessionFk: sessionOf[i] ?? null, sample })));

/** Runs the hooks with the sessions the batch changed, and answers each item. */
async function finish(db: Knex | Knex.Transaction, items: readonly MeterItem[], sessionOf: ReadonlyArray<number | undefined>, storedOf: readonly Sample[][], samplesOf: ReadonlyMap<number, Sample[]>, raised: readonly EnergyUpdated[], ctx: MeterBatchContext): Promise<MeterResult[]> {
  const updated = new Map(raised.map((u) => [u.id, u]));
  if (ctx.hooks.length > 0 && samplesOf.size > 0) {
    const changes = [...samplesOf.keys()]
      .sort((a, b) => a - b)
      .map((sessionId) => ({ sessionId, samples: samplesOf.get(sessionId)!, isEnergyUpdated: updated.has(sessionId), isPartnerSession: updated.get(sessionId)?.isPartnerSession ?? false }));
    for (const hook of ctx.hooks) await hook(db, changes);
  }
  return items.map((it, i) => {
    const sessionId = sessionOf[i];
    const isUpdated = sessionId !== undefined && storedOf[i]!.length > 0 && updated.has(sessionId);
    return { isUnknownTransaction: it.transactionId !== undefined && sessionId === undefined, updatedSessionId: isUpdated ? sessionId : undefined };
  });
}

/** Writes a batch of MeterValues inside `trx`; one result per item. */
export async function writeMeterBatch(trx: Knex.Transaction, items: readonly MeterItem[], ctx: MeterBatchContext): Promise<MeterResult[]> {
  await ensureConnectors(trx, items, ctx);
  const sessionOf = await sessionsOf(trx, items, ctx.knownTransactions);
  // Only samples not stored before count: a replayed MeterValues changes nothing and pushes nothing.
  const storedOf = attribute(items, await insertSampleRows(trx, sampleRowsOf(items, sessionOf)));
  const samplesOf = storedPerSession(sessionOf, storedOf);
  return finish(trx, items, sessionOf, storedOf, samplesOf, await updateSessionsEnergy(trx, energyUpdates(samplesOf)), ctx);
}

/**
 * Writes a batch of MeterValues, committed when it resolves: in one statement when it can (see
 * sessionsIfOneStatement) and no sample of it was stored before, otherwise in a transaction (writeMeterBatch).
 */
export async function writeMeterValues(db: Knex, items: readonly MeterItem[], ctx: MeterBatchContext): Promise<MeterResult[]> {
  const sessionOf = sessionsIfOneStatement(items, ctx);
  const rows = sessionOf ? sampleRowsOf(items, sessionOf) : [];
  if (sessionOf && rows.length > 0) {
    const samples = prepareSamples(rows);
    const storedOf = attribute(items, samples.isStored);
    const samplesOf = storedPerSession(sessionOf, storedOf);
    const raised = await insertSamplesRaisingEnergy(db, samples, energyUpdates(samplesOf));
    if (raised) return finish(db, items, sessionOf, storedOf, samplesOf, raised, ctx);
  }
  return db.transaction((trx) => writeMeterBatch(trx, items, ctx));
}
