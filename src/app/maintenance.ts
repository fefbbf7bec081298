import type { AppDeps } from './app.types.ts';
import type { ServiceCore } from './services.ts';
import type { AlertService } from '../alerts/alert.service.ts';
import { AlertRuleService } from '../alerts/alert-rules.service.ts';

/** Faults and maintenance (issue 9): alert rules, webhooks, tickets, maintenance windows, fleet management. */
export function buildMaintenance(deps: AppDeps, _core: ServiceCore, alerts: AlertService) {
  const { config, db, clock } = deps;
  const alertRules = new AlertRuleService({ db, clock, alerts, settings: config.alerts });
  return { alertRules };
}
