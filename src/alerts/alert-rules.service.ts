import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import * as facts from './alert-facts.repo.ts';
import { bootRejectedAlert, failedStartsAlert, faultAlert, missingCdrAlert, reconcile, silentSessionAlert, stuckConnectorAlert, type RuleAlert } from './alert-rules.ts';
import type { AlertService } from './alert.service.ts';

/** Thresholds of the alert rules (config `alerts`); 0 turns a rule off. */
export interface AlertRuleSettings {
  noMeterValuesMin: number;
  connectorStuckMin: number;
  failedStartsCount: number;
  failedStartsWindowMin: number;
}

const MIN_MS = 60_000;
const KINDS = ['CONNECTOR_FAULT', 'CHARGER_OFFLINE', 'BOOT_REJECTED', 'NO_METER_VALUES', 'CONNECTOR_STUCK', 'REPEATED_FAILED_STARTS', 'SESSION_WITHOUT_CDR'] as const;

/**
 * The `alert-rules` job (issue 9): reads every condition from the stored data, opens an alert for each
 * that holds without one (one open alert per kind and subject) and closes the alerts whose condition
 * ended (recovery). Conditions come from the charger's own messages (StatusNotification, BootNotification,
 * MeterValues, StartTransaction) and from the offline detection and billing.
 */
export class AlertRuleService {
  constructor(private readonly o: { db: Knex; clock: Clock; alerts: AlertService; settings: AlertRuleSettings }) {}

  async evaluate(): Promise<{ opened: number; closed: number }> {
    const holding = await this.conditions(this.o.clock.now());
    const counts = { opened: 0, closed: 0 };
    for (const kind of KINDS) {
      const open = await this.o.alerts.listOpenOfKind(kind);
      const { toOpen, toClose } = reconcile(open, holding.filter((a) => a.kind === kind));
      for (const a of toOpen) if (await this.o.alerts.raise(a)) counts.opened++;
      counts.closed += (await this.o.alerts.close(toClose)).length;
    }
    return counts;
  }

  /** Every condition that holds now, as the alert it calls for. */
  private async conditions(now: Date): Promise<RuleAlert[]> {
    const { db, settings: s } = this.o;
    const before = (min: number) => new Date(now.getTime() - min * MIN_MS);
    const holding: RuleAlert[] = (await facts.listOpenFaults(db)).map(faultAlert);
    holding.push(...(await facts.listRejectedBoots(db)).map(bootRejectedAlert));
    if (s.noMeterValuesMin > 0) holding.push(...(await facts.listSilentSessions(db, before(s.noMeterValuesMin))).map((x) => silentSessionAlert(x, s.noMeterValuesMin)));
    // OCPP 1.6 §7.7: Preparing (plug in, no transaction yet) and Finishing (transaction over, plug still in) should not last.
    if (s.connectorStuckMin > 0) holding.push(...(await facts.listConnectorsStuckIn(db, ['Preparing', 'Finishing'], before(s.connectorStuckMin))).map((x) => stuckConnectorAlert(x, s.connectorStuckMin)));
    if (s.failedStartsCount > 0) holding.push(...(await facts.listRepeatedFailedStarts(db, s.failedStartsCount, before(s.failedStartsWindowMin))).map((x) => failedStartsAlert(x, s.failedStartsCount)));
    holding.push(...(await facts.listSessionsWithoutCdr(db)).map(missingCdrAlert));
    return holding;
  }
}
