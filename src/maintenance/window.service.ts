import type { Knex } from 'knex';
import { assertChargerExists, type ChargerService } from '../chargers/charger.service.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { sendToCharger } from './charger-command.ts';
import * as repo from './window.repo.ts';
import type { MaintenanceWindow, NewWindow } from './window.types.ts';

export interface WindowServiceOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  commands: CommandSender;
  chargers: Pick<ChargerService, 'refreshEvsesOf' | 'emitEvseChanges'>;
  callTimeoutMs: number;
}

export type WindowRequest = Omit<NewWindow, 'chargePointId' | 'connectorId'> & { chargePointId?: string; connectorId?: number | null; evseUid?: string };

/**
 * Maintenance windows (issue 9). The `maintenance-windows` job starts them (status ACTIVE, EVSEs recomputed:
 * INOPERATIVE to the eMSPs through the location pushes, then OCPP 1.6 §5.2 ChangeAvailability Inoperative)
 * and ends them (EVSEs recomputed, ChangeAvailability Operative unless another window still holds the charger).
 */
export class MaintenanceWindowService {
  constructor(private readonly o: WindowServiceOptions) {}

  /** The EVSE status override the chargers apply: INOPERATIVE while a window holds the EVSE. */
  readonly evseStatusOverride = async (trx: Knex.Transaction | Knex, evseFks: readonly number[]): Promise<Map<number, 'INOPERATIVE'>> =>
    new Map([...(await repo.listEvsesUnderMaintenance(trx, evseFks))].map((evseFk) => [evseFk, 'INOPERATIVE' as const]));

  async schedule(req: WindowRequest, by: string): Promise<MaintenanceWindow> {
    const target = await this.targetOf(req);
    if (req.endsAt.getTime() <= req.startsAt.getTime()) throw new InvalidInput('endsAt: must be after startsAt');
    if (req.endsAt.getTime() <= this.o.clock.now().getTime()) throw new InvalidInput('endsAt: must be in the future');
    return repo.insertWindow(this.o.db, { ...target, startsAt: req.startsAt, endsAt: req.endsAt, reason: req.reason, createdBy: by }, this.o.clock.now());
  }

  private async targetOf(req: WindowRequest): Promise<{ chargePointId: string; connectorId: number | null }> {
    if (req.evseUid !== undefined) {
      if (req.chargePointId !== undefined) throw new InvalidInput('evseUid: give either evseUid or chargePointId (with connectorId)');
      const found = await repo.findConnectorOfEvse(this.o.db, req.evseUid);
      if (!found) throw new NotFound(`EVSE ${req.evseUid} not found or has no connector of a charger`);
      return found;
    }
    if (!req.chargePointId) throw new InvalidInput('chargePointId: required (or evseUid)');
    await assertChargerExists(this.o.db, req.chargePointId);
    return { chargePointId: req.chargePointId, connectorId: req.connectorId ?? null };
  }

  /** Cancels a SCHEDULED window, or ends an ACTIVE one now; 409 once it ended. */
  async cancel(id: number): Promise<MaintenanceWindow> {
    const w = await repo.getWindow(this.o.db, id);
    if (w.status === 'SCHEDULED') {
      const cancelled = await repo.moveWindow(this.o.db, id, 'SCHEDULED', 'CANCELLED', { endedAt: this.o.clock.now() });
      if (cancelled) return cancelled;
    } else if (w.status === 'ACTIVE') {
      await this.end(w);
      return repo.getWindow(this.o.db, id);
    }
    throw new Conflict(`maintenance window ${id} is ${(await repo.getWindow(this.o.db, id)).status}`);
  }

  /** The job: starts the windows that began, ends those that are over, and resends Inoperative to chargers it missed. */
  async runDue(): Promise<{ started: number; ended: number; resent: number }> {
    const now = this.o.clock.now();
    const counts = { started: 0, ended: 0, resent: 0 };
    for (const w of await repo.listDueWindows(this.o.db, now)) {
      const isOver = w.endsAt.getTime() <= now.getTime();
      if (w.status === 'SCHEDULED' && !isOver) {
        if (await this.start(w)) counts.started++;
      } else if (isOver) {
        if (await this.end(w)) counts.ended++;
      } else {
        await this.sendInoperative(w);
        counts.resent++;
      }
    }
    return counts;
  }

  private async start(w: MaintenanceWindow): Promise<boolean> {
    const started = await this.moveAndRefresh(w, 'SCHEDULED', 'ACTIVE', { startedAt: this.o.clock.now() });
    if (!started) return false;
    await this.sendInoperative(w);
    return true;
  }

  /** OCPP 1.6 §5.2 ChangeAvailability Inoperative; a charger offline or failing gets it again at the next run. */
  private async sendInoperative(w: MaintenanceWindow): Promise<void> {
    const outcome = await sendToCharger(this.cmd(), w.chargePointId, 'ChangeAvailability', { connectorId: w.connectorId ?? 0, type: 'Inoperative' });
    await repo.updateWindowCommandStatus(this.o.db, w.id, 'start', outcome.status);
    this.o.logger.info('maintenance window: charger asked to be Inoperative', { windowId: w.id, chargePointId: w.chargePointId, connectorId: w.connectorId, changeAvailability: outcome.status });
  }

  /** Ends an ACTIVE window (or one that was never started: no commands then). */
  private async end(w: MaintenanceWindow): Promise<boolean> {
    const ended = await this.moveAndRefresh(w, w.status, 'ENDED', { endedAt: this.o.clock.now() });
    if (!ended) return false;
    if (w.status !== 'ACTIVE') return true;
    const isHeld = await repo.hasOtherActiveWindow(this.o.db, w.chargePointId, w.id);
    const outcome = isHeld ? { status: 'Skipped' } : await sendToCharger(this.cmd(), w.chargePointId, 'ChangeAvailability', { connectorId: w.connectorId ?? 0, type: 'Operative' });
    await repo.updateWindowCommandStatus(this.o.db, w.id, 'end', outcome.status);
    this.o.logger.info('maintenance window ended', { windowId: w.id, chargePointId: w.chargePointId, connectorId: w.connectorId, changeAvailability: outcome.status });
    return true;
  }

  /** Moves the window and recomputes its charger's EVSEs in one transaction (the location pushes are queued there). */
  private async moveAndRefresh(w: MaintenanceWindow, from: MaintenanceWindow['status'], to: MaintenanceWindow['status'], fields: { startedAt?: Date; endedAt?: Date }): Promise<boolean> {
    const changes = await this.o.db.transaction(async (trx) => {
      if (!(await repo.moveWindow(trx, w.id, from, to, fields))) return undefined;
      return this.o.chargers.refreshEvsesOf(trx, w.chargePointId);
    });
    if (!changes) return false;
    this.o.chargers.emitEvseChanges(changes);
    return true;
  }

  private cmd() {
    return { commands: this.o.commands, logger: this.o.logger, timeoutMs: this.o.callTimeoutMs };
  }

  get(id: number): Promise<MaintenanceWindow> {
    return repo.getWindow(this.o.db, id);
  }

  list(f: repo.WindowFilter): Promise<MaintenanceWindow[]> {
    return repo.listWindows(this.o.db, f);
  }
}
