import type { AppDeps } from './app.types.ts';
import type { ServiceCore } from './services.ts';
import type { AlertService } from '../alerts/alert.service.ts';
import { AlertRuleService } from '../alerts/alert-rules.service.ts';
import { WebhookService } from '../webhooks/webhook.service.ts';
import { DeliveryWorker } from '../webhooks/delivery.worker.ts';
import { TicketService } from '../maintenance/ticket.service.ts';
import { MaintenanceWindowService } from '../maintenance/window.service.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import { ConfigurationTemplateService } from '../fleet/template.service.ts';
import { FirmwareCampaignService } from '../fleet/firmware.service.ts';
import { DiagnosticsService } from '../fleet/diagnostics.service.ts';
import { isLogRequestOf } from '../security/log-request.repo.ts';

/** Faults and maintenance (issue 9): alert rules, webhooks, tickets, maintenance windows, fleet management. */
export function buildMaintenance(deps: AppDeps, core: ServiceCore, s: { alerts: AlertService; chargers: ChargerService }) {
  const { alerts, chargers } = s;
  const { config, db, clock, logger } = deps;
  const alertRules = new AlertRuleService({ db, clock, alerts, settings: config.alerts });
  const webhooks = new WebhookService({ db, clock });
  // Every alert change is queued to the webhooks inside the transaction that made it.
  alerts.onChange((trx, event) => webhooks.enqueueAlertEvent(trx, event));
  const webhookWorker = new DeliveryWorker({ db, clock, logger: logger.child({ module: 'webhooks' }), webhooks, ...config.webhooks });
  const tickets = new TicketService({ db, clock, alerts });
  const callTimeoutMs = config.ocpp.callTimeoutSec * 1000;
  const maintenanceWindows = new MaintenanceWindowService({ db, clock, logger: logger.child({ module: 'maintenance' }), commands: core.commands, chargers, callTimeoutMs });
  // OCPI 2.2.1 locations §8.4.22: an EVSE under maintenance is INOPERATIVE to the eMSPs, whatever its connectors say.
  chargers.useEvseStatusOverride(maintenanceWindows.evseStatusOverride);
  return { alertRules, webhooks, webhookWorker, tickets, maintenanceWindows, ...buildFleet(deps, core, { chargers, alerts }) };
}

/** Fleet management: configuration templates, firmware campaigns, diagnostics requests. */
function buildFleet(deps: AppDeps, core: ServiceCore, { chargers, alerts }: { chargers: ChargerService; alerts: AlertService }) {
  const { config, db, clock, logger } = deps;
  const log = logger.child({ module: 'fleet' });
  const callTimeoutMs = config.ocpp.callTimeoutSec * 1000;
  const configurationTemplates = new ConfigurationTemplateService({ db, clock, logger: log, commands: core.commands, callTimeoutMs });
  const firmwareCampaigns = new FirmwareCampaignService({ db, clock, logger: log, commands: core.commands, callTimeoutMs, alerts });
  const diagnostics = new DiagnosticsService({ db, clock, logger: log, commands: core.commands, callTimeoutMs, defaultLocation: config.maintenance.diagnosticsLocation, isLogRequest: isLogRequestOf });
  // OCPP 1.6 §4.4, §4.5: progress reports, recorded with the charger's event in one transaction.
  chargers.onEvent('FirmwareStatusNotification', (trx, id, payload) => firmwareCampaigns.onFirmwareStatus(trx, id, payload));
  chargers.onEvent('SignedFirmwareStatusNotification', (trx, id, payload) => firmwareCampaigns.onSignedFirmwareStatus(trx, id, payload));
  chargers.onEvent('DiagnosticsStatusNotification', (trx, id, payload) => diagnostics.onDiagnosticsStatus(trx, id, payload));
  // OCPP 2.0.1 N01: a 2.0.1 station reports a diagnostics upload (GetDiagnostics sent as GetLog) in LogStatusNotification.
  chargers.onEvent('LogStatusNotification', (trx, id, payload) => diagnostics.onLogStatus(trx, id, payload));
  return { configurationTemplates, firmwareCampaigns, diagnostics };
}
