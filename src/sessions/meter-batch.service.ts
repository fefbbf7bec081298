// The MeterValues of many chargers written in one transaction (group commit, issue 8): two statements per
// batch (samples insert, energy update), plus a sessions lookup when the batch names a transaction not seen
// before and a connector registration the first time a connector is seen.
import type { Knex } from 'knex';
import { ensureConnectorOf } from '../chargers/charger.service.ts';
import { latestEnergyRegisterWh, type Sample } from './meter-values.ts';
import { insertSampleRows, listSessionsOfChargePoints, updateSessionsEnergy, type EnergyUpdate, type SampleRow } from './meter-batch.repo.ts';
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

/** Per session: its latest register reading among the samples just stored. */
function energyUpdates(sessionOf: ReadonlyArray<number | undefined>, storedOf: readonly Sample[][]): { updates: EnergyUpdate[]; samplesOf: Map<number, Sample[]> } {
  const samplesOf = new Map<number, Sample[]>();
  sessionOf.forEach((id, i) => {
    if (id !== undefined && storedOf[i]!.length > 0) samplesOf.set(id, [...(samplesOf.get(id) ?? []), ...storedOf[i]!]);
  });
  const updates: EnergyUpdate[] = [];
  for (const [sessionId, samples] of samplesOf) {
    const register = latestEnergyRegisterWh(samples);
    if (register) updates.push({ sessionId, registerWh: register.wh, at: register.at });
  }
  // The same order in every batch, so that concurrent batches tend to lock sessions alike; should they still
  // deadlock, the batch rolls back and its messages are written one by one.
  updates.sort((a, b) => a.sessionId - b.sessionId);
  return { updates, samplesOf };
}

/** The session of each item naming a transaction of its charger (its id); the pairs not seen before are looked up in one statement. */
async function sessionsOf(trx: Knex.Transaction, items: readonly MeterItem[], known: KnownTransactions): Promise<Array<number | undefined>> {
  const unseen = items.filter((it) => it.transactionId !== undefined && !known.has(it.chargePointId, it.transactionId));
  for (const s of await listSessionsOfChargePoints(trx, unseen.map((it) => [it.chargePointId, it.transactionId!] as const))) known.add(s.chargePointId, s.id);
  return items.map((it) => (it.transactionId !== undefined && known.has(it.chargePointId, it.transactionId) ? it.transactionId : undefined));
}

/** Writes a batch of MeterValues inside `trx`; one result per item. */
export async function writeMeterBatch(trx: Knex.Transaction, items: readonly MeterItem[], ctx: MeterBatchContext): Promise<MeterResult[]> {
  await ensureConnectors(trx, items, ctx);
  const sessionOf = await sessionsOf(trx, items, ctx.knownTransactions);
  const rows: SampleRow[] = items.flatMap((it, i) => it.samples.map((sample) => ({ chargePointId: it.chargePointId, connectorNumber: it.connectorNumber, sessionFk: sessionOf[i] ?? null, sample })));
  // Only samples not stored before count: a replayed MeterValues changes nothing and pushes nothing.
  const storedOf = attribute(items, await insertSampleRows(trx, rows));
  const { updates, samplesOf } = energyUpdates(sessionOf, storedOf);
  const updated = new Map((await updateSessionsEnergy(trx, updates)).map((u) => [u.id, u]));
  if (ctx.hooks.length > 0 && samplesOf.size > 0) {
    const changes = [...samplesOf.keys()]
      .sort((a, b) => a - b)
      .map((sessionId) => ({ sessionId, samples: samplesOf.get(sessionId)!, isEnergyUpdated: updated.has(sessionId), isPartnerSession: updated.get(sessionId)?.isPartnerSession ?? false }));
    for (const hook of ctx.hooks) await hook(trx, changes);
  }
  return items.map((it, i) => {
    const sessionId = sessionOf[i];
    const isUpdated = sessionId !== undefined && storedOf[i]!.length > 0 && updated.has(sessionId);
    return { isUnknownTransaction: it.transactionId !== undefined && sessionId === undefined, updatedSessionId: isUpdated ? sessionId : undefined };
  });
}
