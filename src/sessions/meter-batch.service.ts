// The MeterValues of many chargers written in one transaction (group commit, issue 8): a constant number
// of statements per batch (sessions lookup, samples insert, energy update; the sessions re-read only when
// hooks are registered), plus a connector registration the first time a connector is seen.
import type { Knex } from 'knex';
import { ensureConnectorOf } from '../chargers/charger.service.ts';
import { latestEnergyRegisterWh, type Sample } from './meter-values.ts';
import { insertSampleRows, listSessionsByIds, listSessionsOfChargePoints, updateSessionsEnergy, type EnergyUpdate, type SampleRow, type StoredKey } from './meter-batch.repo.ts';
import type { SessionMeterValuesHook } from './session.service.ts';
import type { Session } from './session.types.ts';

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
}

const sessionKey = (chargePointId: string, id: number) => `${chargePointId}\u0000${id}`;
const sampleKey = (cp: string, connector: number, s: Omit<StoredKey, 'chargePointId' | 'connectorNumber'>) =>
  [cp, connector, s.timestamp.getTime(), s.measurand, s.phase ?? '\u0001', s.location, s.unit ?? '\u0001', s.context, s.format].join('\u0000');

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

/**
 * The samples each item stored (those of items in a session: the insert reports no others); a sample
 * repeated within the batch counts for its first item only.
 */
function attribute(items: readonly MeterItem[], stored: readonly StoredKey[]): Sample[][] {
  // Nothing stored for a session (e.g. a batch of main-meter readings): no sample keys to build.
  if (stored.length === 0) return items.map(() => []);
  const keys = new Set(stored.map((k) => sampleKey(k.chargePointId, k.connectorNumber, k)));
  return items.map((it) =>
    it.samples.filter((s) => {
      const key = sampleKey(it.chargePointId, it.connectorNumber, s);
      return keys.delete(key);
    }),
  );
}

/** Per session: its latest register reading among the samples just stored. */
function energyUpdates(sessionOf: ReadonlyArray<Session | undefined>, storedOf: readonly Sample[][]): { updates: EnergyUpdate[]; samplesOf: Map<number, Sample[]> } {
  const samplesOf = new Map<number, Sample[]>();
  sessionOf.forEach((s, i) => {
    if (s && storedOf[i]!.length > 0) samplesOf.set(s.id, [...(samplesOf.get(s.id) ?? []), ...storedOf[i]!]);
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

/** Writes a batch of MeterValues inside `trx`; one result per item. */
export async function writeMeterBatch(trx: Knex.Transaction, items: readonly MeterItem[], ctx: MeterBatchContext): Promise<MeterResult[]> {
  await ensureConnectors(trx, items, ctx);
  const pairs = items.filter((it) => it.transactionId !== undefined).map((it) => [it.chargePointId, it.transactionId!] as const);
  const sessions = new Map((await listSessionsOfChargePoints(trx, pairs)).map((s) => [sessionKey(s.chargePointId, s.id), s]));
  const sessionOf = items.map((it) => (it.transactionId === undefined ? undefined : sessions.get(sessionKey(it.chargePointId, it.transactionId))));
  const rows: SampleRow[] = items.flatMap((it, i) => it.samples.map((sample) => ({ chargePointId: it.chargePointId, connectorNumber: it.connectorNumber, sessionFk: sessionOf[i]?.id ?? null, sample })));
  // Only samples not stored before count: a replayed MeterValues changes nothing and pushes nothing.
  const storedOf = attribute(items, await insertSampleRows(trx, rows));
  const { updates, samplesOf } = energyUpdates(sessionOf, storedOf);
  const updated = new Set(await updateSessionsEnergy(trx, updates));
  if (ctx.hooks.length > 0 && samplesOf.size > 0) {
    const sessions = await listSessionsByIds(trx, [...samplesOf.keys()].sort((a, b) => a - b));
    const changes = sessions.map((session) => ({ session, samples: samplesOf.get(session.id)!, isEnergyUpdated: updated.has(session.id) }));
    for (const hook of ctx.hooks) await hook(trx, changes);
  }
  return items.map((it, i) => {
    const session = sessionOf[i];
    const isUpdated = session !== undefined && storedOf[i]!.length > 0 && updated.has(session.id);
    return { isUnknownTransaction: it.transactionId !== undefined && !session, updatedSessionId: isUpdated ? session.id : undefined };
  });
}
