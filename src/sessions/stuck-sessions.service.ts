import type { Knex } from 'knex';
import type { AlertService } from '../alerts/alert.service.ts';
import { findConnectedNode } from '../chargers/charger.service.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict } from '../shared/errors.ts';
import type { DomainEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import * as repo from './session.repo.ts';
import type { SessionService } from './session.service.ts';
import type { Session } from './session.types.ts';
import { classifyZombie, zombieMessage, zombieRuleOf, type ZombieRules } from './stuck-rules.ts';

export interface StuckSessionOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  events: DomainEvents;
  sessions: Pick<SessionService, 'close'>;
  commands: CommandSender;
  alerts: Pick<AlertService, 'raise' | 'closeOfEndedSessions'>;
  /** How long the charger may take to answer a command. */
  callTimeoutMs: number;
  idleConnectorGraceMs: number;
  remoteStopWaitMs: number;
  zombieRules: ZombieRules;
  /** Sessions read per page by the jobs. */
  batchSize?: number;
}

/** What POST /sessions/{id}/stop did: the charger's answer and whether it stopped the session or cpms closed it. */
export interface OperatorStopResult {
  outcome: 'STOPPED_BY_CHARGER' | 'FORCE_CLOSED';
  /** The RemoteStopTransaction answer; Offline: not sent; Failed: no usable answer (timeout, CALLERROR). */
  remoteStop: 'Accepted' | 'Rejected' | 'Offline' | 'Failed';
  session: Session;
}

/** OCPP 1.6 StatusNotification statuses of a connector on which no transaction can run (§7.7 ChargePointStatus). */
const IDLE_STATUSES = ['Available', 'Unavailable', 'Faulted'] as const;

/**
 * Stuck sessions (issue 15): idle connectors, zombie rules and the operator's stop. Every close goes through
 * SessionService.close (the ordinary stop path: CDR built and pushed once, token released).
 */
export class StuckSessionService {
  constructor(private readonly o: StuckSessionOptions) {}

  /**
   * The `idle-connectors` job. A session whose connector reported Available/Unavailable/Faulted after its
   * start is probed (TriggerMessage MeterValues, OCPP 1.6 §5.17); once the grace time has passed since the
   * probe, it is kept if a MeterValues of its transaction arrived since (and probed again), else closed as
   * CONNECTOR_IDLE at the idle report. The grace also lets a StopTransaction sent after Available arrive.
   */
  async checkIdleConnectors(): Promise<{ probed: number; kept: number; closed: number }> {
    const now = this.o.clock.now();
    const counts = { probed: 0, kept: 0, closed: 0 };
    for await (const { session, connectorStatusAt } of this.activeSessions(IDLE_STATUSES)) {
      if (!connectorStatusAt || connectorStatusAt < session.startAt) continue;
      const probeAt = session.idleProbeAt;
      if (!probeAt) {
        await this.probe(session, now);
        counts.probed++;
      } else if (now.getTime() - probeAt.getTime() < this.o.idleConnectorGraceMs) {
        continue;
      } else if (await repo.hasSampleReceivedSince(this.o.db, session.id, probeAt)) {
        await this.probe(session, now);
        counts.kept++;
      } else if (await this.o.sessions.close(session.id, { reason: 'CONNECTOR_IDLE', stopAt: connectorStatusAt })) {
        counts.closed++;
      }
    }
    return counts;
  }

  /** Every ACTIVE session (on a connector in one of `connectorStatuses`, if given), page by page. */
  private async *activeSessions(connectorStatuses?: readonly string[]): AsyncGenerator<repo.ActiveSessionState> {
    const limit = this.o.batchSize ?? 500;
    let afterId = 0;
    for (;;) {
      const page = await repo.listActiveSessionStates(this.o.db, { afterId, limit, connectorStatuses });
      yield* page;
      if (page.length < limit) return;
      afterId = page[page.length - 1]!.session.id;
    }
  }

  /** Asks the charger for the connector's meter values; the answer only matters through the MeterValues it sends. */
  private async probe(session: Session, now: Date): Promise<void> {
    await repo.updateIdleProbe(this.o.db, session.id, now);
    const ctx = { chargePointId: session.chargePointId, connectorId: session.connectorNumber, sessionId: session.id };
    if (!(await findConnectedNode(this.o.db, session.chargePointId))) return void this.o.logger.info('idle connector: charger offline, not probed', ctx);
    try {
      const conf = await this.o.commands.send(session.chargePointId, 'TriggerMessage', { requestedMessage: 'MeterValues', connectorId: session.connectorNumber }, this.o.callTimeoutMs);
      this.o.logger.info('idle connector: TriggerMessage MeterValues sent', { ...ctx, status: conf.status });
    } catch (err) {
      this.o.logger.warn('idle connector: TriggerMessage MeterValues failed', { ...ctx, err: (err as Error).message });
    }
  }

  /**
   * The `zombie-sessions` job: each ACTIVE session matching a zombie rule gets an alert, and is closed with
   * the rule's reason when the rule's action is `close`. Alerts of sessions that ended are closed.
   */
  async applyZombieRules(): Promise<{ alerted: number; closed: number }> {
    const now = this.o.clock.now();
    const counts = { alerted: 0, closed: 0 };
    for await (const { session, connectorStatus } of this.activeSessions()) {
      const reason = classifyZombie({ ...session, connectorStatus }, this.o.zombieRules, now);
      if (!reason) continue;
      const rule = zombieRuleOf(this.o.zombieRules, reason);
      const message = `${zombieMessage(reason, rule)}${rule.action === 'close' ? ': closed' : ''}`;
      const alert = await this.o.alerts.raise({ kind: `ZOMBIE_${reason}`, severity: 'warning', chargePointId: session.chargePointId, connectorId: session.connectorNumber, sessionId: session.id, message });
      if (alert) counts.alerted++;
      if (rule.action === 'close' && (await this.o.sessions.close(session.id, { reason }))) counts.closed++;
    }
    await this.o.alerts.closeOfEndedSessions();
    return counts;
  }

  /**
   * POST /sessions/{id}/stop: RemoteStopTransaction (OCPP 1.6 §5.12) when the charger is connected, then
   * a wait of remoteStopWaitMs for its StopTransaction; a rejected, failed or unanswered stop, or an
   * offline charger, ends in a force-close as OPERATOR_FORCED with the operator's reason.
   */
  async operatorStop(sessionId: number, by: { reason: string; closedBy: string }): Promise<OperatorStopResult> {
    const session = await repo.getSession(this.o.db, sessionId);
    if (session.status !== 'ACTIVE' || session.stopAt) throw new Conflict(`session ${sessionId} is not active (${session.status})`);
    const stopped = this.stopOf(sessionId);
    try {
      const remoteStop = await this.remoteStop(session);
      if (remoteStop === 'Accepted' && (await stopped.wait(this.o.remoteStopWaitMs))) return { outcome: 'STOPPED_BY_CHARGER', remoteStop, session: await repo.getSession(this.o.db, sessionId) };
      const log = { sessionId, chargePointId: session.chargePointId, closedBy: by.closedBy, reason: by.reason, remoteStop };
      const closed = await this.o.sessions.close(sessionId, { reason: 'OPERATOR_FORCED', closedBy: by.closedBy, note: by.reason });
      // The charger's stop (or another close) came first: nothing was forced.
      if (!closed) return { outcome: 'STOPPED_BY_CHARGER', remoteStop, session: await repo.getSession(this.o.db, sessionId) };
      this.o.logger.warn('session force-closed by the operator', log);
      return { outcome: 'FORCE_CLOSED', remoteStop, session: closed };
    } finally {
      stopped.cancel();
    }
  }

  private async remoteStop(session: Session): Promise<OperatorStopResult['remoteStop']> {
    if (!(await findConnectedNode(this.o.db, session.chargePointId))) return 'Offline';
    try {
      return (await this.o.commands.send(session.chargePointId, 'RemoteStopTransaction', { transactionId: session.id }, this.o.callTimeoutMs)).status;
    } catch (err) {
      this.o.logger.warn('RemoteStopTransaction failed', { sessionId: session.id, chargePointId: session.chargePointId, err: (err as Error).message });
      return err instanceof Conflict ? 'Offline' : 'Failed';
    }
  }

  /** Watches for the session's stop from now on; `wait` resolves true once stopped (or false after `ms`), reading it again at the end. */
  private stopOf(sessionId: number): { wait(ms: number): Promise<boolean>; cancel(): void } {
    let seen = false;
    let wake = (): void => undefined;
    const off = this.o.events.on('session.stopped', (e) => {
      if (e.sessionId !== sessionId) return;
      seen = true;
      wake();
    });
    const isStopped = async () => (await repo.getSession(this.o.db, sessionId)).stopAt !== null;
    return {
      wait: async (ms) => {
        if (!seen) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        // Another node may have taken the StopTransaction (events are per node): the database says.
        return isStopped();
      },
      cancel: off,
    };
  }
}
