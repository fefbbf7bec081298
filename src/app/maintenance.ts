import type { AppDeps } from './app.types.ts';
import type { ServiceCore } from './services.ts';
import type { AlertService } from '../alerts/alert.service.ts';
import { AlertRuleService } from '../alerts/alert-rules.service.ts';
import { WebhookService } from '../webhooks/webhook.service.ts';
import { DeliveryWorker } from '../webhooks/delivery.worker.ts';
import { TicketService } from '../maintenance/ticket.service.ts';

/** Faults and maintenance (issue 9): alert rules, webhooks, tickets, maintenance windows, fleet management. */
export function buildMaintenance(deps: AppDeps, _core: ServiceCore, alerts: AlertService) {
  const { config, db, clock, logger } = deps;
  const alertRules = new AlertRuleService({ db, clock, alerts, settings: config.alerts });
  const webhooks = new WebhookService({ db, clock });
  // Every alert change is queued to the webhooks inside the transaction that made it.
  alerts.onChange((trx, event) => webhooks.enqueueAlertEvent(trx, event));
  const webhookWorker = new DeliveryWorker({ db, clock, logger: logger.child({ module: 'webhooks' }), webhooks, ...config.webhooks });
  const tickets = new TicketService({ db, clock, alerts });
  return { alertRules, webhooks, webhookWorker, tickets };
}
