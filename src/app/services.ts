import type { AppDeps } from './app.types.ts';
import { dbKind } from '../db/knex.ts';
import type { DomainEvents } from '../shared/events.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { ChargerConfigurationService } from '../chargers/configuration.service.ts';
import { DeviceModelService } from '../chargers/device-model.service.ts';
import { ChargerService } from '../chargers/charger.service.ts';
import { ChargerAuthService } from '../chargers/charger-auth.service.ts';
import { ChargerConnectionService } from '../chargers/charger-connection.service.ts';
import { LoginBackoff } from '../chargers/login-backoff.ts';
import { LastSeenService } from '../chargers/last-seen.service.ts';
import { OnboardingService, type ConnectionControl } from '../chargers/onboarding.service.ts';
import { ChargerSecurityService } from '../chargers/charger-security.service.ts';
import { SecurityEventService } from '../security/security-event.service.ts';
import { CertificateService } from '../security/certificate.service.ts';
import { buildSecurityLogs } from './security.ts';
import { buildCustomerInformation, buildIso15118 } from './iso15118.ts';
import { scryptPasswords } from '../shared/password.ts';
import { ConnectorLimits } from '../chargers/connector-limits.service.ts';
import { ConnectorService } from '../chargers/connector.service.ts';
import { ChargerImportService } from '../chargers/charger-import.service.ts';
import { AuthorizeService } from '../tokens/authorize.service.ts';
import { TokenService } from '../tokens/token.service.ts';
import { OcpiTokenService } from '../tokens/ocpi-token.service.ts';
import { ocpiRealtimeAuthorizer } from '../tokens/realtime.client.ts';
import { HubClientInfoService } from '../hubclientinfo/client-info.service.ts';
import { SessionService } from '../sessions/session.service.ts';
import { registerSessionPushes } from '../sessions/ocpi.pushes.ts';
import { LocationService } from '../locations/location.service.ts';
import { pushLocation, registerLocationPushes } from '../locations/ocpi.pushes.ts';
import { ApiKeyService } from '../access/apikey.service.ts';
import { OperatorService } from '../access/operator.service.ts';
import { AuthService } from '../access/auth.service.ts';
import { AuditService } from '../audit/audit.service.ts';
import { JobScheduler } from '../jobs/scheduler.ts';
import { registerJobs, registerBillingJobs } from '../jobs/registry.ts';
import { CdrService } from '../billing/cdr.service.ts';
import { StatementService } from '../billing/statement.service.ts';
import { TariffService } from '../tariffs/tariff.service.ts';
import { configureOcpiClient } from '../ocpi/client.ts';
import { PartnerService } from '../partners/partner.service.ts';
import { CredentialsService } from '../partners/credentials.service.ts';
import { PushWorker } from '../partners/push.worker.ts';
import { AsyncResults } from '../commands/async-result.ts';
import { CommandService } from '../commands/command.service.ts';
import { remoteStartHook, remoteStartPreAuthorizer } from '../commands/remote-start.hook.ts';
import { reservationUseHook } from '../commands/reservation-use.hook.ts';
import { ReservationService } from '../commands/reservation.service.ts';
import { CostUpdatedService } from '../sessions/cost-updated.service.ts';
import { ChargingProfileService } from '../chargingprofiles/chargingprofile.service.ts';
import { AlertService } from '../alerts/alert.service.ts';
import { StuckSessionService } from '../sessions/stuck-sessions.service.ts';
import { registerStuckSessionJobs, registerMaintenanceJobs, registerEventJobs, registerAnalyticsJobs, registerDatabaseJobs, registerJobRunRetention } from '../jobs/registry.ts';
import { AnalyticsRollupService } from '../analytics/rollup.service.ts';
import { buildMaintenance } from './maintenance.ts';
import { EventHub } from '../events/event-hub.ts';
import { EventRecorder } from '../events/event-recorder.service.ts';
import { LiveViewService } from '../events/live-view.service.ts';
import { DriverService } from '../drivers/driver.service.ts';
import { AccessService } from '../drivers/access.service.ts';
import { LocalListService } from '../drivers/local-list.service.ts';
import { AdhocService } from '../drivers/adhoc.service.ts';
import { DriverAppService } from '../drivers/driver-app.service.ts';
import { DriverAccountService } from '../drivers/driver-account.service.ts';
import { AnalyticsService } from '../analytics/analytics.service.ts';
import { buildLoadManagement, registerLoadManagementJob } from './load-management.ts';

/** What the services are built on besides the injected deps: made once per app by `createApp`. */
export interface ServiceCore {
  nodeId: string;
  events: DomainEvents;
  commands: CommandSender;
  configuration: ChargerConfigurationService;
  /** Closes charger sockets on whichever node holds them (onboarding). */
  connectionControl: ConnectionControl;
  /** Cluster: tells the other nodes a live event was stored, and hears when they stored one. */
  eventNotices?: { publish(id: number): void; onStored(listener: () => void): void };
}

export type Services = ReturnType<typeof buildServices>;

// The steps below run in this order on purpose: hooks fire in registration order (see the comments on
// each hook), so the remote-start hook comes first and the pushes come last.

/** Chargers, tokens and sessions, with the authorization hooks that tie them together. */
function buildChargingCore(deps: AppDeps, core: ServiceCore) {
  const { config, db, logger, clock } = deps;
  // Group commit (issue 8): the embedded database is one connection, so one batch at a time there.
  const ingest = { ...config.ingest, maxConcurrentBatches: dbKind(db) === 'pglite' ? 1 : config.ingest.maxConcurrentBatches };
  const { nodeId, events } = core;
  const passwords = deps.passwords ?? scryptPasswords;
  const chargers = new ChargerService({ db, clock, events, logger: logger.child({ module: 'chargers' }), nodeId, heartbeatIntervalSec: config.ocpp.heartbeatIntervalSec, pendingIntervalSec: config.ocpp.pendingIntervalSec, passwords, ingest });
  // Connector data and EVSE mapping share the chargers' EVSE hooks (status recompute, location pushes).
  const connectors = new ConnectorService({ db, hooks: chargers.evseHooks });
  // Connector data from vendor configuration keys (OCPP 1.6 GetConfiguration, mapped by ocpp.connectorDataKeys).
  if (config.ocpp.connectorDataKeys.length > 0) {
    core.configuration.onConfirmed(async (chargePointId, keys) => {
      const { stored, problems } = await connectors.reportConfiguration(chargePointId, keys, config.ocpp.connectorDataKeys, config.ocpp.maxConnectorId);
      if (stored.length > 0) logger.info('connector data from the configuration keys', { module: 'chargers', chargePointId, connectors: stored });
      if (problems.length > 0) logger.warn('connector data in configuration keys not usable', { module: 'chargers', chargePointId, problems });
    });
  }
  // Bulk registration (issue 8): the same EVSE hooks, the same password hashing.
  const chargerImport = new ChargerImportService({ db, passwords, hooks: chargers.evseHooks, maxConnectorId: config.ocpp.maxConnectorId });
  const authorize = new AuthorizeService({ db, clock, logger: logger.child({ module: 'tokens' }), cacheTtlSec: config.ocpi.authorizationCacheTtlSec });
  const tokens = new TokenService({ db });
  // Connector ids in charger messages: 0..ocpp.maxConnectorId, and the charger's NumberOfConnectors once read.
  const connectorLimits = new ConnectorLimits({ db, maxConnectorId: config.ocpp.maxConnectorId });
  const sessions = new SessionService({ db, clock, events, logger: logger.child({ module: 'sessions' }), authorize, connectors: connectorLimits, ingest });
  // First start hook: a session started by an OCPI START_SESSION carries its token and authorization_reference.
  sessions.onStart(remoteStartHook());
  // Then: a transaction started with an OCPP reservationId uses up that reservation (and carries its token).
  sessions.onStart(reservationUseHook());
  authorize.usePreAuthorizer(remoteStartPreAuthorizer(db));
  // OCPP 1.6 §7.2 ConcurrentTx: an own token in an ACTIVE session is refused a second one elsewhere,
  // for a StartTransaction inside the transaction that inserts the session (the token row locked first).
  authorize.useActiveSessions(sessions);
  sessions.addStartRule(authorize.concurrentTxRule());
  const locations = new LocationService({ db });
  const apiKeys = new ApiKeyService({ db, clock });
  return { chargers, chargerImport, connectors, connectorLimits, ...buildChargerAccess(deps, core, chargers), authorize, tokens, sessions, locations, apiKeys };
}

/** Handshake authentication, connection records and onboarding of chargers. */
function buildChargerAccess(deps: AppDeps, core: ServiceCore, chargers: ChargerService) {
  const { config, db, logger, clock } = deps;
  const { auth } = config.ocpp;
  const passwords = deps.passwords ?? scryptPasswords;
  const log = logger.child({ module: 'chargers' });
  const backoff = new LoginBackoff(auth.backoff, clock);
  const chargerAuth = new ChargerAuthService({ db, logger: log, nodeId: core.nodeId, passwords, acceptUnknownChargers: config.ocpp.acceptUnknownChargers, ...auth, backoff });
  // Last-seen/heartbeat times in memory, written in bulk (issue 8).
  const lastSeen = new LastSeenService({ db, clock, logger: log, chargers, events: core.events, flushMs: config.ingest.lastSeenFlushMs });
  const ingest = { ...config.ingest, maxConcurrentBatches: dbKind(db) === 'pglite' ? 1 : config.ingest.maxConcurrentBatches };
  const chargerConnections = new ChargerConnectionService({ db, clock, events: core.events, nodeId: core.nodeId, chargers, ingest });
  const onboarding = new OnboardingService({ db, logger: log, passwords, commands: core.commands, connections: core.connectionControl, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 });
  const { tls } = config;
  const chargerSecurity = new ChargerSecurityService({ db, logger: log, commands: core.commands, callTimeoutMs: config.ocpp.callTimeoutSec * 1000, maxProfile: !tls.certFile ? 1 : tls.caFile ? 3 : 2, ocppPath: config.ocpp.path });
  return { chargerAuth, chargerConnections, onboarding, lastSeen, chargerSecurity };
}

/** Tariffs and billing, hooked into the session's start and stop transactions. */
function buildPricing(deps: AppDeps, sessions: SessionService) {
  const { config, db, logger, clock } = deps;
  const tariffs = new TariffService({ db, clock });
  // The tariff in force is frozen on the session at its start: later tariff changes never reprice it.
  sessions.onStart(async (trx, session, facts) => void (await tariffs.snapshotForSession(trx, session, facts)));
  // An assignment change alters Connector.tariff_ids: the eMSPs get the location again (locations §8.2.2).
  tariffs.onConnectorTariffsChanged((trx, locationId, onlyPartnerFk) => pushLocation(trx, tariffs, locationId, onlyPartnerFk));
  // OCPI 2.2.1 cdrs: the CDR is built, stored and queued for the token's eMSP inside the stop transaction
  const cdrs = new CdrService({ db, clock, logger: logger.child({ module: 'billing' }), defaultCurrency: config.billing.defaultCurrency, maxSessionDays: config.billing.maxSessionDays, sessions, tariffs });
  sessions.onStop(async (trx, session, ctx) => void (await cdrs.onSessionStopped(trx, session, ctx)));
  const statements = new StatementService({ db, clock, logger: logger.child({ module: 'settlement' }), graceMs: config.billing.settlementGraceMin * 60_000 });
  return { tariffs, cdrs, statements };
}

/** OCPI partners: credentials, realtime authorization, the push outbox and the async command results. */
function buildRoaming(deps: AppDeps, authorize: AuthorizeService, commands: CommandSender, events: DomainEvents) {
  const { config, db, logger, clock } = deps;
  const partners = new PartnerService({ db, clock });
  const clientInfo = new HubClientInfoService({ db });
  // OCPI 2.2.1 tokens §12.2.2.2: roaming tokens are checked at their eMSP in time for the charger
  // (at once unreachable when its hub reports the eMSP not CONNECTED)
  authorize.useRealtime(ocpiRealtimeAuthorizer({ partners, clientInfo, timeoutMs: config.ocpi.realtimeAuthTimeoutMs }));
  const ocpiTokens = new OcpiTokenService({ db });
  configureOcpiClient({ timeoutMs: config.ocpi.partnerTimeoutSec * 1000, defaultFromParty: { countryCode: config.operator.countryCode, partyId: config.operator.partyId } });
  const credentials = new CredentialsService({ db, clock, logger: logger.child({ module: 'partners' }), partners });
  const pushWorker = new PushWorker({ db, clock, logger: logger.child({ module: 'push' }), ...config.ocpi.push, responseUrlAllowedHosts: config.ocpi.responseUrlAllowedHosts });
  // OCPI commands / chargingprofiles: answered at once, relayed to the charger, results POSTed via the outbox.
  const asyncResults = new AsyncResults({ db, logger: logger.child({ module: 'commands' }) });
  const ocpiCommands = new CommandService({ db, clock, logger: logger.child({ module: 'commands' }), sender: commands, results: asyncResults, timeoutSec: config.ocpp.callTimeoutSec });
  const chargingProfiles = new ChargingProfileService({ db, clock, logger: logger.child({ module: 'chargingprofiles' }), sender: commands, results: asyncResults, timeoutSec: config.ocpp.callTimeoutSec, events });
  // The CPO's side of the same reservations: list, cancel (CANCELED_RESERVATION through the outbox).
  const reservations = new ReservationService({ db, clock, sender: commands, timeoutSec: config.ocpp.callTimeoutSec });
  return { partners, ocpiTokens, clientInfo, credentials, pushWorker, asyncResults, ocpiCommands, chargingProfiles, reservations };
}

/** Stuck sessions (issue 15): alerts, idle connectors, zombie rules and the operator's stop. */
function buildStuckSessions(deps: AppDeps, core: ServiceCore, sessions: SessionService) {
  const { config, db, logger, clock } = deps;
  const alerts = new AlertService({ db, clock, logger: logger.child({ module: 'alerts' }), events: core.events });
  const z = config.sessions.zombie;
  const zombieRules = {
    noEnergy: { afterMin: z.noEnergyMin, action: z.noEnergyAction },
    noProgress: { afterMin: z.noProgressHours * 60, action: z.noProgressAction },
    tooLong: { afterMin: z.tooLongHours * 60, action: z.tooLongAction },
  };
  const stuckSessions = new StuckSessionService({
    db, clock, logger: logger.child({ module: 'stuck-sessions' }), events: core.events, sessions, commands: core.commands, alerts, zombieRules,
    callTimeoutMs: config.ocpp.callTimeoutSec * 1000, idleConnectorGraceMs: config.sessions.idleConnectorGraceSec * 1000, remoteStopWaitMs: config.sessions.remoteStopWaitSec * 1000,
  });
  return { alerts, stuckSessions };
}

/** Live monitoring (issue 9): domain events stored for GET /events, this node's fan-out, the live view. */
function buildLiveMonitoring(deps: AppDeps, core: ServiceCore) {
  const { config, db, logger, clock } = deps;
  const log = logger.child({ module: 'events' });
  const eventHub = new EventHub({ db, logger: log, pollIntervalMs: config.events.pollIntervalMs });
  core.eventNotices?.onStored(() => eventHub.wake());
  const onStored = (id: number): void => {
    eventHub.wake();
    core.eventNotices?.publish(id);
  };
  const eventRecorder = new EventRecorder({ db, clock, logger: log, events: core.events, onStored });
  eventRecorder.start();
  const liveView = new LiveViewService({ db, clock });
  return { eventHub, eventRecorder, liveView };
}

type SchedulerInputs = ReturnType<typeof buildChargingCore> & ReturnType<typeof buildPricing> & ReturnType<typeof buildRoaming> & ReturnType<typeof buildStuckSessions> & ReturnType<typeof buildMaintenance>;


/** The job scheduler with every periodic job registered (each runs on one node under an advisory lock). */
function buildScheduler(deps: AppDeps, nodeId: string, s: SchedulerInputs) {
  const { config, db, logger, clock } = deps;
  const scheduler = new JobScheduler({ db, logger: logger.child({ module: 'jobs' }), clock, nodeId });
  registerJobs(scheduler, { config, pushWorker: s.pushWorker, authorize: s.authorize, tokenSync: { db, clock, logger: logger.child({ module: 'token-sync' }), tokens: s.ocpiTokens }, chargers: s.chargers });
  registerBillingJobs(scheduler, { config, statements: s.statements, staleSessions: { db, clock, logger: logger.child({ module: 'stale-sessions' }), sessions: s.sessions, staleAfterMin: config.billing.staleSessionAfterMin } });
  registerStuckSessionJobs(scheduler, { config, stuckSessions: s.stuckSessions });
  registerMaintenanceJobs(scheduler, { config, ...s });
  registerEventJobs(scheduler, { config, db, clock });
  registerDatabaseJobs(scheduler, { config, db });
  registerJobRunRetention(scheduler, { config, clock });
  registerAnalyticsJobs(scheduler, { config, analyticsRollup: new AnalyticsRollupService({ db, clock, lookbackDays: config.analytics.rollupLookbackDays }) });
  return scheduler;
}

/** Operator accounts, their logins, and the audit log of changes (issue 9). */
function buildAccounts(deps: AppDeps) {
  const { config, db, clock } = deps;
  const passwords = deps.passwords ?? scryptPasswords;
  const operators = new OperatorService({ db, clock, passwords });
  const auth = new AuthService({ db, clock, passwords, ...config.auth });
  const audit = new AuditService({ db, clock });
  return { operators, auth, audit };
}

/** Drivers, groups and access rules (issue 9): the rules decide the charger's authorization of a token. */
type DriverAccessInputs = { authorize: AuthorizeService; locations: LocationService; tokens: TokenService; sessions: SessionService; tariffs: TariffService; cdrs: CdrService };

function buildDriverAccess(deps: AppDeps, core: ServiceCore, { authorize, locations, tokens, sessions, tariffs, cdrs }: DriverAccessInputs) {
  const { db, clock, logger, config } = deps;
  const localLists = new LocalListService({ db, clock, logger: logger.child({ module: 'local-lists' }), commands: core.commands, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 });
  // A restricted location is published only to its drivers' tokens, a private one to nobody (OCPI publish_allowed_to);
  // the chargers' local lists follow every change (and the local-auth-lists job catches up on the rest).
  const drivers = new DriverService({ db, publication: locations, onAccessChanged: () => localLists.syncAllSoon() });
  const access = new AccessService({ db, clock, logger: logger.child({ module: 'access' }) });
  authorize.useAccessPolicy(access);
  // After the tariff snapshot (buildPricing): a group's rule with a tariff replaces the selected tariff.
  sessions.onStart(async (trx, session) => {
    if (session.status !== 'ACTIVE') return;
    const tariffId = await access.tariffOfSession(trx, session);
    if (tariffId && !(await tariffs.snapshotTariffById(trx, session.id, tariffId))) logger.warn('access rule names an unknown tariff', { tariffId, sessionId: session.id });
  });
  // Ad hoc sessions are stopped at their energy bound, watched on every session update.
  const adhoc = new AdhocService({ db, logger: logger.child({ module: 'adhoc' }), commands: core.commands, tokens, events: core.events, costs: cdrs, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 });
  adhoc.watchSessions();
  const driverApp = new DriverAppService({ db, clock, adhoc, costs: cdrs, tariffs, commands: core.commands, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 });
  const driverAccounts = new DriverAccountService({ db, clock, passwords: deps.passwords ?? scryptPasswords, ...config.auth, access, commands: core.commands, costs: cdrs, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 });
  return { drivers, access, localLists, adhoc, driverApp, driverAccounts };
}

/** Every domain service with its hooks wired, plus the scheduler, push worker and async command results. */
export function buildServices(deps: AppDeps, core: ServiceCore) {
  const charging = buildChargingCore(deps, core);
  const pricing = buildPricing(deps, charging.sessions);
  const roaming = buildRoaming(deps, charging.authorize, core.commands, core.events);
  const stuck = buildStuckSessions(deps, core, charging.sessions);
  const maintenance = buildMaintenance(deps, core, { alerts: stuck.alerts, chargers: charging.chargers });
  const live = buildLiveMonitoring(deps, core);
  const driverAccess = buildDriverAccess(deps, core, { ...charging, tariffs: pricing.tariffs, cdrs: pricing.cdrs });
  const securityEvents = new SecurityEventService({ db: deps.db, clock: deps.clock, logger: deps.logger.child({ module: 'security' }), alerts: stuck.alerts, alertNonCritical: deps.config.alerts.nonCriticalSecurityEvents ?? true });
  const certificates = new CertificateService({
    db: deps.db, clock: deps.clock, logger: deps.logger.child({ module: 'security' }), commands: core.commands, callTimeoutMs: deps.config.ocpp.callTimeoutSec * 1000,
    caKeySecret: deps.config.tls.caKeySecret ?? '', issuedCertificateDays: deps.config.tls.issuedCertificateDays ?? 365, operatorName: deps.config.operator.name,
  });
  const scheduler = buildScheduler(deps, core.nodeId, { ...charging, ...pricing, ...roaming, ...stuck, ...maintenance });
  const { localLists } = driverAccess;
  // Issue 13: chargers whose certificate from the operator CA ends soon are asked for a new CSR.
  scheduler.register({ name: 'certificate-renewal', schedule: deps.config.tls.renewalCron ?? '0 3 * * *', run: () => certificates.renewExpiring(deps.config.tls.renewBeforeDays ?? 30) });
  // Issue 13: passwords older than ocpp.auth.passwordRotationDays are rotated, one charger after the other.
  const { passwordRotationDays = 0, passwordRotationCron = '30 3 * * *', passwordRotationBatch = 500 } = deps.config.ocpp.auth;
  if (passwordRotationDays > 0) scheduler.register({ name: 'password-rotation', schedule: passwordRotationCron, run: () => charging.chargerSecurity.rotateOlderThan(passwordRotationDays, passwordRotationBatch) });
  scheduler.register({ name: 'local-auth-lists', schedule: deps.config.access.localListCron, run: () => localLists.syncAll() });
  // OCPP 2.0.1 I02: the running total of each 2.0.1 transaction, on a modest interval (the final one ends the transaction).
  const costUpdated = new CostUpdatedService({ db: deps.db, commands: core.commands, costs: pricing.cdrs, logger: deps.logger.child({ module: 'sessions' }), callTimeoutMs: deps.config.ocpp.callTimeoutSec * 1000 });
  scheduler.register({ name: 'cost-updated', schedule: deps.config.ocpp.costUpdatedCron ?? '*/5 * * * *', run: () => costUpdated.sendRunningTotals() });
  const load = buildLoadManagement(deps, core, { alerts: stuck.alerts, sessions: charging.sessions });
  registerLoadManagementJob(scheduler, deps, load.loadManager);

  // OCPI pushes of locations and sessions, queued inside the services' transactions; registered after
  // the hooks above so that a pushed session already carries its tariff's currency.
  registerLocationPushes({ chargers: charging.chargers, locations: charging.locations, tariffs: pricing.tariffs });
  registerSessionPushes(charging.sessions, { defaultCurrency: deps.config.billing.defaultCurrency });
  return { ...charging, ...pricing, ...roaming, ...stuck, ...maintenance, ...live, ...buildAccounts(deps), ...driverAccess, ...load, analytics: new AnalyticsService({ db: deps.db, clock: deps.clock }), scheduler, configuration: core.configuration, securityEvents, certificates, ...buildSecurityLogs(deps, core, { chargers: charging.chargers, securityEvents }), ...buildIso15118(deps), ...buildCustomerInformation(deps, core), deviceModel: new DeviceModelService({ db: deps.db, clock: deps.clock }) };
}
