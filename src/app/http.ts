import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import express from 'express';
import type { Config } from '../config/load.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { AppDeps } from './app.types.ts';
import type { Services } from './services.ts';
import { pingDb } from '../db/knex.ts';
import { isMigrated } from '../db/migrate.ts';
import { createAdminRouter } from '../admin/router.ts';
import { chargerAdminRoutes } from '../chargers/admin.routes.ts';
import { PriceDisplayService } from '../chargers/price-display.service.ts';
import { locationAdminRoutes } from '../locations/admin.routes.ts';
import { tokenAdminRoutes } from '../tokens/admin.routes.ts';
import { sessionAdminRoutes } from '../sessions/admin.routes.ts';
import { jobAdminRoutes } from '../jobs/admin.routes.ts';
import { partnerAdminRoutes } from '../partners/admin.routes.ts';
import { tariffAdminRoutes } from '../tariffs/admin.routes.ts';
import { billingAdminRoutes } from '../billing/admin.routes.ts';
import { reservationAdminRoutes } from '../commands/admin.routes.ts';
import { alertAdminRoutes } from '../alerts/admin.routes.ts';
import { securityAdminRoutes } from '../security/admin.routes.ts';
import { logAdminRoutes, logUploadRoutes } from '../security/log.routes.ts';
import { customerInformationAdminRoutes } from '../customer-information/admin.routes.ts';
import { LOG_UPLOAD_PATH } from '../security/log-request.service.ts';
import { loginRoutes, operatorAdminRoutes, sessionRoutes } from '../access/admin.routes.ts';
import { auditAdminRoutes } from '../audit/admin.routes.ts';
import { eventAdminRoutes } from '../events/admin.routes.ts';
import { adhocAdminRoutes, driverAdminRoutes, groupAdminRoutes, localListAdminRoutes } from '../drivers/admin.routes.ts';
import { auditReaders } from './audit-readers.ts';
import { webhookAdminRoutes } from '../webhooks/admin.routes.ts';
import { ticketAdminRoutes } from '../maintenance/ticket.routes.ts';
import { windowAdminRoutes } from '../maintenance/window.routes.ts';
import { templateAdminRoutes } from '../fleet/template.routes.ts';
import { firmwareAdminRoutes } from '../fleet/firmware.routes.ts';
import { diagnosticsAdminRoutes } from '../fleet/diagnostics.routes.ts';
import { analyticsAdminRoutes } from '../analytics/admin.routes.ts';
import { partyAdminRoutes } from '../parties/admin.routes.ts';
import { loadGroupAdminRoutes } from '../loadmgmt/admin.routes.ts';
import { createOcpiRouter, type OcpiModule } from '../ocpi/router.ts';
import { credentialsOcpiModule } from '../ocpi/credentials/credentials.routes.ts';
import { tokensModule } from '../tokens/ocpi.routes.ts';
import { hubClientInfoModule } from '../hubclientinfo/ocpi.routes.ts';
import { tariffsOcpiModule } from '../tariffs/ocpi.routes.ts';
import { cdrsOcpiModule } from '../billing/ocpi.routes.ts';
import { locationsOcpiModule } from '../locations/ocpi.routes.ts';
import { OcpiLocationPages } from '../locations/ocpi-pages.service.ts';
import { sessionsOcpiModule } from '../sessions/ocpi.routes.ts';
import { commandsModule } from '../commands/ocpi.routes.ts';
import { chargingProfilesModule } from '../chargingprofiles/ocpi.routes.ts';
import { liveOverviewRoutes } from '../events/live-overview.routes.ts';
import { driverAppRoutes } from '../drivers/driver-app.routes.ts';
import { adminErrorHandler } from '../admin/http.ts';
import { webRoutes } from '../web/static.routes.ts';
import { requestLog } from './request-log.ts';
import { metricsHandler, ocpiRequestMetrics } from './metrics.ts';
import type { Metrics } from '../metrics/metrics.ts';

function addHealthRoutes(app: express.Express, { db }: AppDeps): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await pingDb(db);
      const migrated = await isMigrated(db);
      res.status(migrated ? 200 : 503).json({ status: migrated ? 'ready' : 'migrations pending' });
    } catch (err) {
      res.status(503).json({ status: 'database unreachable', error: (err as Error).message });
    }
  });
}

function adminRouter({ config, db, logger }: AppDeps, s: Services, commands: CommandSender) {
  const login = { auth: s.auth, sessionTtlMin: config.auth.sessionTtlMin, publicUrl: config.publicUrl };
  return createAdminRouter({
    apiKeys: s.apiKeys,
    auth: s.auth,
    audit: s.audit,
    logger: logger.child({ module: 'admin' }),
    publicRouters: [loginRoutes({ ...login, audit: s.audit })],
    auditReaders: auditReaders(db, s),
    routers: [
      sessionRoutes({ ...login, operators: s.operators }),
      operatorAdminRoutes({ operators: s.operators }),
      auditAdminRoutes({ audit: s.audit }),
      // OCPI chargingprofiles: a profile the operator sets or clears may change eMSPs' ActiveChargingProfiles.
      chargerAdminRoutes({ db, chargers: s.chargers, connectors: s.connectors, connectorLimits: s.connectorLimits, configuration: s.configuration, deviceModel: s.deviceModel, onboarding: s.onboarding, imports: s.chargerImport, commands, priceDisplay: new PriceDisplayService({ db, tariffs: s.tariffs, commands, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 }), onCommandAnswered: (id, cmd) => s.chargingProfiles.onOperatorCommand(id, cmd) }),
      locationAdminRoutes({ db, locations: s.locations }),
      tokenAdminRoutes({ db, tokens: s.tokens }),
      sessionAdminRoutes({ db, stuckSessions: s.stuckSessions }),
      jobAdminRoutes({ scheduler: s.scheduler, db }),
      partnerAdminRoutes({ db, partners: s.partners, credentials: s.credentials, publicUrl: config.publicUrl }),
      tariffAdminRoutes({ tariffs: s.tariffs }),
      billingAdminRoutes({ cdrs: s.cdrs, statements: s.statements }),
      reservationAdminRoutes({ reservations: s.reservations }),
      alertAdminRoutes({ alerts: s.alerts }),
      webhookAdminRoutes({ webhooks: s.webhooks }),
      ticketAdminRoutes({ tickets: s.tickets }),
      windowAdminRoutes({ windows: s.maintenanceWindows }),
      templateAdminRoutes({ templates: s.configurationTemplates }),
      firmwareAdminRoutes({ firmware: s.firmwareCampaigns }),
      diagnosticsAdminRoutes({ diagnostics: s.diagnostics }),
      eventAdminRoutes({ db, hub: s.eventHub, live: s.liveView, logger: logger.child({ module: 'events' }), heartbeatSec: config.events.heartbeatSec }),
      driverAdminRoutes({ drivers: s.drivers, accounts: s.driverAccounts }),
      groupAdminRoutes({ drivers: s.drivers, access: s.access }),
      localListAdminRoutes({ localLists: s.localLists }),
      adhocAdminRoutes({ adhoc: s.adhoc }),
      analyticsAdminRoutes({ analytics: s.analytics }),
      liveOverviewRoutes({ db }),
      partyAdminRoutes({ db }),
      securityAdminRoutes({ securityEvents: s.securityEvents, chargerSecurity: s.chargerSecurity, certificates: s.certificates, publicUrl: config.publicUrl }),
      loadGroupAdminRoutes({ loadGroups: s.loadGroups }),
      logAdminRoutes({ logs: s.logRequests, publicUrl: config.publicUrl }),
      customerInformationAdminRoutes({ customerInformation: s.customerInformation }),
    ],
  });
}

// OCPI 2.2.1 modules, each `(deps) => OcpiModule`; listed in the version details in this order.
function ocpiModules({ config, db, clock }: AppDeps, s: Services): OcpiModule[] {
  const { maxPageLimit, responseUrlAllowedHosts } = config.ocpi;
  return [
    credentialsOcpiModule({ credentials: s.credentials }),
    tokensModule({ tokens: s.ocpiTokens }),
    hubClientInfoModule({ clientInfo: s.clientInfo }),
    tariffsOcpiModule({ tariffs: s.tariffs, maxPageLimit }),
    cdrsOcpiModule({ cdrs: s.cdrs, maxPageLimit }),
    locationsOcpiModule({ db, pages: new OcpiLocationPages({ db, tariffs: s.tariffs, maxBytes: config.ocpi.locationsCacheMaxBytes }), maxPageLimit }),
    sessionsOcpiModule({ db, clock, maxPageLimit, defaultCurrency: config.billing.defaultCurrency }),
    commandsModule({ commands: s.ocpiCommands, responseUrlAllowedHosts }),
    chargingProfilesModule({ chargingProfiles: s.chargingProfiles, responseUrlAllowedHosts }),
  ];
}

/** The express app: health probes, the admin API under /api/v1 and the OCPI modules under /ocpi. */
export function buildHttpApp(deps: AppDeps, s: Services, commands: CommandSender, metrics?: Metrics) {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(deps.logger.child({ module: 'http' })));
  addHealthRoutes(app, deps);
  // The driver app's API needs no account (issue 11): before the admin API, which asks for credentials.
  app.use('/api/v1/driver', driverAppRoutes({ driverApp: s.driverApp, accounts: s.driverAccounts, clock: deps.clock, rateLimit: deps.config.web.driverRateLimit }), adminErrorHandler(deps.logger.child({ module: 'driver-api' })));
  // GetLog uploads from chargers (issue 13): a one-time token in the path, no API key.
  app.use(LOG_UPLOAD_PATH, logUploadRoutes({ logs: s.logRequests, maxBytes: deps.config.maintenance.logUploadMaxBytes ?? 10_485_760, logger: deps.logger.child({ module: 'log-upload' }) }));
  if (metrics && deps.config.metrics.enabled && deps.config.metrics.port === 0) app.get('/metrics', metricsHandler(metrics, deps.config.metrics, { ownPort: false }));
  app.use('/api/v1', adminRouter(deps, s, commands));
  const { ocpi } = deps.config;
  const ocpiDeps = { auth: s.partners, logger: deps.logger.child({ module: 'ocpi' }), publicUrl: deps.config.publicUrl, clock: deps.clock, maxBodyBytes: ocpi.maxBodyBytes, rateLimit: ocpi.rateLimit };
  const modules = ocpiModules(deps, s);
  if (metrics) {
    metrics.knowOcpiModules(modules.map((m) => m.id));
    app.use('/ocpi', ocpiRequestMetrics(metrics));
  }
  app.use('/ocpi', createOcpiRouter(ocpiDeps, modules));
  app.use(webRoutes({ tileUrl: deps.config.web.tileUrl }));
  return app;
}

/**
 * HTTPS when a certificate is configured, plain HTTP otherwise; the OCPP endpoint shares it. Requests
 * whose headers (slowloris) or whole body do not arrive in time are answered 408 and closed.
 */
export function createServer(config: Config, app: express.Express): Server {
  const { headersTimeoutSec, requestTimeoutSec, keepAliveTimeoutSec } = config.http;
  const limits = {
    headersTimeout: headersTimeoutSec * 1000,
    requestTimeout: requestTimeoutSec * 1000,
    keepAliveTimeout: keepAliveTimeoutSec * 1000,
    // Node checks the two timeouts above only this often (default 30 s): a quarter of the shorter one.
    connectionsCheckingInterval: Math.max(250, Math.min(headersTimeoutSec, requestTimeoutSec) * 250),
  };
  // OCPP security profile 3: a client certificate is asked for on the same port as profiles 1 and 2 but
  // not required; the OCPP handshake checks it (chain, expiry, subject) per charger.
  const clientCerts = config.tls.caFile ? { ca: readFileSync(config.tls.caFile), requestCert: true, rejectUnauthorized: false } : {};
  return config.tls.certFile
    ? createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile), ...clientCerts, ...limits }, app)
    : createHttpServer(limits, app);
}
