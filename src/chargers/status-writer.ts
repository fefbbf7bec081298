// The group commit of StatusNotifications (issue 8): many chargers' reports in one transaction, each answered
// after its commit (see writeStatuses for what a batch costs).
import type { Knex } from 'knex';
import type { Logger } from '../shared/logger.ts';
import { GroupCommitWriter } from '../db/group-commit.ts';
import { transactionSink } from '../db/transaction-sink.ts';
import * as repo from './charger.repo.ts';
import type { Connector, StatusReport } from './charger.types.ts';
import { isFault } from './connector-state.ts';
import { ensureConnectorOf } from './evse-layout.ts';
import type { EvseStatusChange } from './evse-status.ts';
import * as batchRepo from './status-batch.repo.ts';
import type { StatusItem } from './status-batch.repo.ts';

/** What a stored report answers: the EVSE status it changed (to its first report only) and whether it was the newest. */
export type WrittenStatus = { change: EvseStatusChange | undefined; isNewest: boolean };

/** What the writer needs of the charger service: the EVSE recomputation and the EVSE hooks. */
export interface StatusWriterContext {
  logger: Logger;
  /** Recomputes the EVSEs' statuses; the changes by EVSE. */
  recomputeEvses(trx: Knex.Transaction, evseFks: readonly number[]): Promise<Map<number, EvseStatusChange>>;
  /** An EVSE gained a connector (its first report). */
  evseChanged(trx: Knex.Transaction, evseFk: number): Promise<void>;
  /** EVSEs' statuses changed. */
  evseStatusChanged(trx: Knex.Transaction, changes: readonly EvseStatusChange[]): Promise<void>;
}

export interface StatusWriterOptions {
  db: Knex;
  /** Group commit (config ingest); defaults: 5 ms window, 500 per transaction. */
  ingest?: { batchWindowMs: number; maxBatch: number; maxConcurrentBatches?: number };
}

export function createStatusWriter(o: StatusWriterOptions, ctx: StatusWriterContext): GroupCommitWriter<StatusItem, WrittenStatus> {
  return new GroupCommitWriter({
    sink: transactionSink(o.db, (trx, items: readonly StatusItem[]) => writeStatuses(trx, items, ctx)),
    windowMs: o.ingest?.batchWindowMs ?? 5,
    maxBatch: o.ingest?.maxBatch ?? 500,
    maxInFlight: o.ingest?.maxConcurrentBatches ?? 1,
  });
}

/**
 * A batch of StatusNotifications inside `trx`: the first report of each connector with a few multi-row
 * statements (history, connector status, cleared faults; a connector not seen before registered on its own),
 * then each charger's own reports (connector 0) and a connector's later reports of the batch one by one.
 */
async function writeStatuses(trx: Knex.Transaction, items: readonly StatusItem[], ctx: StatusWriterContext): Promise<WrittenStatus[]> {
  const results: WrittenStatus[] = [];
  const keyOf = (chargePointId: string | null, connectorNumber: number | null) => `${chargePointId}\u0000${connectorNumber}`;
  const seen = new Set<string>();
  const [bulk, rest] = [[] as number[], [] as number[]];
  items.forEach((it, i) => {
    const key = keyOf(it.chargePointId, it.report.connectorNumber);
    (it.report.connectorNumber === 0 || seen.has(key) ? rest : bulk).push(i);
    seen.add(key);
  });
  const firsts = bulk.map((i) => items[i]!);
  await batchRepo.insertStatusHistories(trx, firsts);
  const found = new Map((await batchRepo.listConnectorsByPairs(trx, firsts.map((it) => [it.chargePointId, it.report.connectorNumber] as const))).map((c) => [keyOf(c.chargePointId, c.connectorNumber), c]));
  const connectors: Connector[] = [];
  for (const it of firsts) connectors.push(found.get(keyOf(it.chargePointId, it.report.connectorNumber)) ?? (await ensureConnectorOf(trx, it.chargePointId, it.report.connectorNumber)));
  const newest = new Set(await batchRepo.updateConnectorStatuses(trx, firsts.map((it, k) => ({ connectorId: connectors[k]!.id, report: it.report }))));
  await batchRepo.clearErrorFaults(trx, firsts.filter((it, k) => newest.has(connectors[k]!.id) && !isFault(it.report.status, it.report.errorCode)));
  for (let k = 0; k < firsts.length; k++) {
    const { chargePointId, report } = firsts[k]!;
    if (newest.has(connectors[k]!.id) && isFault(report.status, report.errorCode)) await trackFault(trx, chargePointId, report, ctx);
  }
  // The EVSEs of the connectors whose status changed, recomputed together; an EVSE's change goes to its first report.
  const changed = firsts.map((_, k) => connectors[k]!).filter((c) => newest.has(c.id) && c.evseFk !== null);
  const changes = await ctx.recomputeEvses(trx, changed.map((c) => c.evseFk!));
  // A connector's first report is when its EVSE gains it (OCPP 1.6 chargers reveal connectors this way).
  for (const evseFk of new Set(changed.filter((c) => c.statusAt === null).map((c) => c.evseFk!))) await ctx.evseChanged(trx, evseFk);
  await ctx.evseStatusChanged(trx, [...changes.values()]);
  const reported = new Set<number>();
  for (let k = 0; k < firsts.length; k++) {
    const { id, evseFk } = connectors[k]!;
    const change = evseFk !== null && !reported.has(evseFk) ? changes.get(evseFk) : undefined;
    if (change) reported.add(evseFk!);
    results[bulk[k]!] = { change, isNewest: newest.has(id) };
  }
  for (const i of rest) results[i] = await writeStatus(trx, items[i]!.chargePointId, items[i]!.report, ctx);
  return results;
}

/** One StatusNotification inside the batch transaction `trx`: a constant handful of statements. */
async function writeStatus(trx: Knex.Transaction, chargePointId: string, report: StatusReport, ctx: StatusWriterContext): Promise<WrittenStatus> {
  // Newest wins for faults as for the connector status: a replayed older report opens and clears nothing.
  if (report.connectorNumber === 0) {
    const isNewest = !(await repo.hasNewerStatusHistory(trx, chargePointId, 0, report.timestamp));
    await repo.insertStatusHistory(trx, chargePointId, report);
    if (isNewest) await trackFault(trx, chargePointId, report, ctx);
    return { change: undefined, isNewest: false };
  }
  await repo.insertStatusHistory(trx, chargePointId, report);
  const connector = await ensureConnectorOf(trx, chargePointId, report.connectorNumber);
  const isNewest = await repo.updateConnectorStatus(trx, connector.id, report);
  if (isNewest) await trackFault(trx, chargePointId, report, ctx);
  return afterConnectorStatus(trx, connector, isNewest, ctx);
}

/** The EVSE of a connector whose status was just stored (`connector` as it was before). */
async function afterConnectorStatus(trx: Knex.Transaction, connector: Connector, isNewest: boolean, ctx: StatusWriterContext): Promise<WrittenStatus> {
  if (!isNewest || connector.evseFk === null) return { change: undefined, isNewest };
  const change = (await ctx.recomputeEvses(trx, [connector.evseFk])).get(connector.evseFk);
  // A connector's first report is when its EVSE gains it (OCPP 1.6 chargers reveal connectors this way).
  if (connector.statusAt === null) await ctx.evseChanged(trx, connector.evseFk);
  if (change) await ctx.evseStatusChanged(trx, [change]);
  return { change, isNewest };
}

async function trackFault(trx: Knex.Transaction, chargePointId: string, r: StatusReport, ctx: StatusWriterContext): Promise<void> {
  if (!isFault(r.status, r.errorCode)) {
    await repo.clearFaults(trx, chargePointId, r.connectorNumber, 'ERROR_CODE', r.timestamp);
    return;
  }
  const code = r.errorCode === 'NoError' ? 'Faulted' : r.errorCode;
  if (await repo.findOpenFault(trx, chargePointId, r.connectorNumber, 'ERROR_CODE', code)) return;
  await repo.insertFault(trx, { chargePointId, connectorNumber: r.connectorNumber, kind: 'ERROR_CODE', errorCode: code, info: r.info ?? null, vendorErrorCode: r.vendorErrorCode ?? null, openedAt: r.timestamp });
  ctx.logger.warn('charger fault', { chargePointId, connectorId: r.connectorNumber, errorCode: code, info: r.info });
}

