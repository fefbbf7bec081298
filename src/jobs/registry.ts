import type { Config } from '../config/load.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import type { JobScheduler } from './scheduler.ts';
import type { PushWorker } from '../partners/push.worker.ts';
import { closeStaleSessions, type StaleSessionsDeps } from '../billing/stale-sessions.job.ts';
import type { StatementService } from '../billing/statement.service.ts';
import type { AuthorizeService } from '../tokens/authorize.service.ts';
import { runTokenSync, type TokenSyncDeps } from '../tokens/sync.job.ts';
import type { StuckSessionService } from '../sessions/stuck-sessions.service.ts';
import type { AlertRuleService } from '../alerts/alert-rules.service.ts';
import type { DeliveryWorker } from '../webhooks/delivery.worker.ts';
import type { MaintenanceWindowService } from '../maintenance/window.service.ts';
import type { FirmwareCampaignService } from '../fleet/firmware.service.ts';
import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { deleteEventsBefore } from '../events/event-hub.ts';
import type { AnalyticsRollupService } from '../analytics/rollup.service.ts';
import { runEmbeddedUpkeep } from '../db/embedded-upkeep.ts';
import { dbKind } from '../db/knex.ts';

/** Registers every scheduled job. Later modules add theirs here. */
export function registerJobs(scheduler: JobScheduler, deps: { config: Config; pushWorker?: PushWorker; chargers: ChargerService; authorize?: AuthorizeService; tokenSync?: TokenSyncDeps }): void {
  scheduler.register({
    name: 'offline-detection',
    schedule: deps.config.ocpp.offlineCheckCron,
    run: async () => ({ markedOffline: (await deps.chargers.markOverdueOffline(deps.config.ocpp.offlineAfterMissedHeartbeats)).length }),
  });
  const { pushWorker } = deps;
  // One OCPI outbox delivery pass under the cluster-wide job lock: a safety net for missed kicks.
  if (pushWorker) scheduler.register({ name: 'outbox-retry', schedule: deps.config.ocpi.push.retryCron, run: async () => ({ ...(await pushWorker.runOnce()) }) });
  const { authorize, tokenSync } = deps;
  // OCPI 2.2.1 tokens §12.2.2.2: cached real-time answers expire after ocpi.authorizationCacheTtlSec
  if (authorize) scheduler.register({ name: 'authorization-cache-expiry', schedule: deps.config.ocpi.authorizationCacheExpiryCron, run: async () => ({ expired: await authorize.expireCache() }) });
  // OCPI 2.2.1 tokens §12.1.2 pull model: every eMSP's token list, from the last successful run on
  if (tokenSync) scheduler.register({ name: 'token-sync', schedule: deps.config.ocpi.tokenSyncCron, run: () => runTokenSync(tokenSync) });
}

/** Billing jobs: stale sessions → CDRs (OCPP StopTransaction never came), and settlement statements. */
export function registerBillingJobs(scheduler: JobScheduler, deps: { config: Config; staleSessions: StaleSessionsDeps; statements: StatementService }): void {
  scheduler.register({ name: 'stale-sessions', schedule: deps.config.billing.staleSessionsCron, run: () => closeStaleSessions(deps.staleSessions) });
  scheduler.register({ name: 'settlement', schedule: deps.config.billing.settlementCron, run: () => deps.statements.settleClosedPeriods() });
}

/** Stuck sessions (issue 15): sessions on connectors that went idle, and the zombie rules. */
export function registerStuckSessionJobs(scheduler: JobScheduler, deps: { config: Config; stuckSessions: StuckSessionService }): void {
  scheduler.register({ name: 'idle-connectors', schedule: deps.config.sessions.idleConnectorCron, run: () => deps.stuckSessions.checkIdleConnectors() });
  scheduler.register({ name: 'zombie-sessions', schedule: deps.config.sessions.zombieCron, run: () => deps.stuckSessions.applyZombieRules() });
}

/** Faults and maintenance (issue 9): the alert rules and webhook deliveries. */
export function registerMaintenanceJobs(scheduler: JobScheduler, deps: { config: Config; alertRules: AlertRuleService; webhookWorker: DeliveryWorker; maintenanceWindows: MaintenanceWindowService; firmwareCampaigns: FirmwareCampaignService }): void {
  scheduler.register({ name: 'alert-rules', schedule: deps.config.alerts.evaluateCron, run: () => deps.alertRules.evaluate() });
  scheduler.register({ name: 'maintenance-windows', schedule: deps.config.maintenance.windowsCron, run: () => deps.maintenanceWindows.runDue() });
  scheduler.register({ name: 'firmware-campaigns', schedule: deps.config.maintenance.firmwareCampaignsCron, run: () => deps.firmwareCampaigns.runDue() });
  scheduler.register({ name: 'webhook-delivery', schedule: deps.config.webhooks.deliveryCron, run: () => deps.webhookWorker.runOnce() });
}

/** Live monitoring (issue 9): stored events are kept events.retentionHours for Last-Event-ID replays. */
export function registerEventJobs(scheduler: JobScheduler, deps: { config: Config; db: Knex; clock: Clock }): void {
  const { retentionHours, retentionCron } = deps.config.events;
  scheduler.register({ name: 'events-retention', schedule: retentionCron, run: async () => ({ deleted: await deleteEventsBefore(deps.db, new Date(deps.clock.now().getTime() - retentionHours * 3_600_000)) }) });
}

/** Analytics (issue 9): the daily roll-up per EVSE and local day that the time-based reports sum. */
export function registerAnalyticsJobs(scheduler: JobScheduler, deps: { config: Config; analyticsRollup: AnalyticsRollupService }): void {
  scheduler.register({ name: 'analytics-rollup', schedule: deps.config.analytics.rollupCron, run: () => deps.analyticsRollup.run() });
}

/**
 * Job runs are kept jobs.runsRetentionDays: the webhook deliveries and the embedded database's upkeep alone record
 * a run every 10 seconds each, 17,000 rows a day.
 */
export function registerJobRunRetention(scheduler: JobScheduler, deps: { config: Config; clock: Clock }): void {
  const { runsRetentionDays, runsRetentionCron } = deps.config.jobs;
  scheduler.register({ name: 'job-runs-retention', schedule: runsRetentionCron, run: async () => ({ deleted: await scheduler.pruneRuns(new Date(deps.clock.now().getTime() - runsRetentionDays * 86_400_000)) }) });
}

/**
 * The embedded database's upkeep (issue 8): PGlite has no autovacuum and no checkpointer, so this job vacuums and
 * analyzes the tables that need it, by autovacuum's rules, and checkpoints. A PostgreSQL server's own autovacuum
 * and checkpointer do that there: not registered.
 */
export function registerDatabaseJobs(scheduler: JobScheduler, deps: { config: Config; db: Knex }): void {
  if (dbKind(deps.db) !== 'pglite') return;
  scheduler.register({
    name: 'embedded-upkeep',
    schedule: deps.config.jobs.embeddedUpkeepCron,
    run: async () => {
      const { vacuumed, analyzed, checkpoint } = await runEmbeddedUpkeep(deps.db);
      return { vacuumed, analyzed, checkpoints: checkpoint === undefined ? 0 : 1 };
    },
  });
}
