import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { UpdateFirmwareRequest } from '../ocpp/v16/types.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { sendToCharger } from '../maintenance/charger-command.ts';
import type { AlertService } from '../alerts/alert.service.ts';
import { firmwareSignatureAlert } from '../security/security-event.ts';
import * as repo from './firmware.repo.ts';
import { FAILED_STATUSES, type CampaignCharger, type FirmwareCampaign, type NewCampaign } from './firmware.types.ts';

export interface FirmwareServiceOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  commands: CommandSender;
  callTimeoutMs: number;
  /** Raises FIRMWARE_SIGNATURE when a charger refuses a signed campaign's certificate. */
  alerts?: Pick<AlertService, 'raise'>;
}

// SignedUpdateFirmware.conf: the charger took the request (AcceptedCanceled: and dropped an older one).
const TAKEN = new Set(['Accepted', 'AcceptedCanceled']);

/**
 * Firmware campaigns (issue 9): the `firmware-campaigns` job sends OCPP 1.6 §5.16 UpdateFirmware to each
 * charger of a campaign once its window has begun (a charger offline now is tried again at the next run,
 * until the window ends: NOT_SENT); progress comes from the chargers' FirmwareStatusNotification (§4.5).
 * A campaign with a signing certificate and a signature sends the 1.6 security whitepaper's
 * SignedUpdateFirmware instead (requestId = the campaign id), followed by SignedFirmwareStatusNotification.
 * To an OCPP 2.0.1 station both are UpdateFirmware with requestId = the campaign id (security/ocpp201.mapper.ts).
 */
export class FirmwareCampaignService {
  constructor(private readonly o: FirmwareServiceOptions) {}

  async create(c: NewCampaign, by: string): Promise<FirmwareCampaign> {
    if (c.windowEnd.getTime() <= c.windowStart.getTime()) throw new InvalidInput('windowEnd: must be after windowStart');
    if (c.windowEnd.getTime() <= this.o.clock.now().getTime()) throw new InvalidInput('windowEnd: must be in the future');
    const ids = [...new Set(c.chargePointIds)];
    const known = new Set(await repo.listExistingChargers(this.o.db, ids));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw new NotFound(`chargers not found: ${unknown.slice(0, 10).join(', ')}`);
    return this.o.db.transaction(async (trx) => {
      const now = this.o.clock.now();
      const campaign = await repo.insertCampaign(trx, { ...c, createdBy: by }, now);
      await repo.insertTargets(trx, campaign.id, ids, now);
      return campaign;
    });
  }

  /** The job: sends UpdateFirmware to the pending chargers of campaigns in their window; finishes campaigns whose window ended. */
  async runDue(): Promise<{ sent: number; failed: number; finished: number }> {
    const counts = { sent: 0, failed: 0, finished: 0 };
    for (const campaign of await repo.listDueCampaigns(this.o.db, this.o.clock.now())) {
      if (this.o.clock.now().getTime() >= campaign.windowEnd.getTime()) {
        if (await this.finish(campaign)) counts.finished++;
        continue;
      }
      await repo.updateCampaignStatus(this.o.db, campaign.id, ['SCHEDULED'], 'RUNNING');
      for (const target of await repo.listTargets(this.o.db, campaign.id, ['PENDING'])) {
        const status = await this.send(campaign, target.chargePointId);
        if (status === 'SENT') counts.sent++;
        if (status === 'REQUEST_FAILED') counts.failed++;
      }
    }
    return counts;
  }

  private async sendUpdate(campaign: FirmwareCampaign, chargePointId: string) {
    const to = { commands: this.o.commands, logger: this.o.logger, timeoutMs: this.o.callTimeoutMs };
    const retrieveDate = this.o.clock.now().toISOString();
    const retry = { ...(campaign.retries !== null ? { retries: campaign.retries } : {}), ...(campaign.retryInterval !== null ? { retryInterval: campaign.retryInterval } : {}) };
    if (campaign.signingCertificate && campaign.signature) {
      const firmware = { location: campaign.location, retrieveDateTime: retrieveDate, signingCertificate: campaign.signingCertificate, signature: campaign.signature };
      return sendToCharger(to, chargePointId, 'SignedUpdateFirmware', { requestId: campaign.id, firmware, ...retry });
    }
    // OCPP 2.0.1 L01 requires a requestId (the campaign id, as for a signed campaign); 1.6 UpdateFirmware has none.
    const requestId = (await repo.chargerProtocol(this.o.db, chargePointId)) === 'ocpp2.0.1' ? { requestId: campaign.id } : {};
    return sendToCharger(to, chargePointId, 'UpdateFirmware', { location: campaign.location, retrieveDate, ...retry, ...requestId } as UpdateFirmwareRequest);
  }

  private async send(campaign: FirmwareCampaign, chargePointId: string): Promise<string> {
    const outcome = await this.sendUpdate(campaign, chargePointId);
    const now = this.o.clock.now();
    if (outcome.status === 'Offline') {
      await repo.updateTarget(this.o.db, campaign.id, chargePointId, { status: 'PENDING', lastError: 'charger offline: tried again at the next run' }, now);
      return 'PENDING';
    }
    // UpdateFirmware.conf carries nothing (§6.52): an answer means the charger took the request.
    const status = outcome.status === 'Failed' ? 'REQUEST_FAILED' : TAKEN.has(outcome.status) ? 'SENT' : outcome.status;
    await repo.updateTarget(this.o.db, campaign.id, chargePointId, { status, lastError: outcome.error ?? null, sentAt: status === 'SENT' ? now : undefined }, now);
    const alert = firmwareSignatureAlert(chargePointId, status, campaign.id);
    if (alert) await this.o.alerts?.raise(alert);
    return status;
  }

  private async finish(campaign: FirmwareCampaign): Promise<boolean> {
    return this.o.db.transaction(async (trx) => {
      await repo.updateTargetsInStatus(trx, campaign.id, 'PENDING', 'NOT_SENT', this.o.clock.now());
      return repo.updateCampaignStatus(trx, campaign.id, ['SCHEDULED', 'RUNNING'], 'FINISHED');
    });
  }

  /**
   * The FirmwareStatusNotification hook: progress of the charger's latest campaign it was sent in; a 2.0.1
   * station's requestId (L01, a signed campaign's id) names the campaign.
   */
  async onFirmwareStatus(trx: Knex.Transaction, chargePointId: string, payload: unknown): Promise<void> {
    const { status, requestId } = payload as { status: string; requestId?: number };
    // OCPP 1.6 §4.5: Idle only answers a TriggerMessage when no update runs; it says nothing of the last one.
    if (status === 'Idle') return;
    if (requestId !== undefined) await repo.updateSentTarget(trx, requestId, chargePointId, status, this.o.clock.now());
    else await repo.updateLatestSentTarget(trx, chargePointId, status, this.o.clock.now());
  }

  /**
   * The SignedFirmwareStatusNotification hook: its requestId names the campaign (see send); without one
   * (only Idle may omit it) nothing is recorded.
   */
  async onSignedFirmwareStatus(trx: Knex.Transaction, chargePointId: string, payload: unknown): Promise<void> {
    const { status, requestId } = payload as { status: string; requestId?: number };
    if (status === 'Idle' || requestId === undefined) return;
    await repo.updateSentTarget(trx, requestId, chargePointId, status, this.o.clock.now());
  }

  async cancel(id: number): Promise<FirmwareCampaign> {
    await this.o.db.transaction(async (trx) => {
      if (!(await repo.updateCampaignStatus(trx, id, ['SCHEDULED', 'RUNNING'], 'CANCELLED'))) {
        throw new Conflict(`firmware campaign ${id} is ${(await repo.getCampaign(trx, id)).status}`);
      }
      await repo.updateTargetsInStatus(trx, id, 'PENDING', 'CANCELLED', this.o.clock.now());
    });
    return repo.getCampaign(this.o.db, id);
  }

  /** The campaign with its chargers counted per status. */
  async get(id: number): Promise<FirmwareCampaign & { progress: Record<string, number> }> {
    const campaign = await repo.getCampaign(this.o.db, id);
    return { ...campaign, progress: await repo.countTargetsByStatus(this.o.db, id) };
  }

  list(f: Parameters<typeof repo.listCampaigns>[1]): Promise<FirmwareCampaign[]> {
    return repo.listCampaigns(this.o.db, f);
  }

  /** The campaign's chargers (only the failures with `failed`, or those of one status). */
  async chargers(id: number, f: { failed?: boolean; status?: string }): Promise<CampaignCharger[]> {
    await repo.getCampaign(this.o.db, id);
    return repo.listTargets(this.o.db, id, f.failed ? FAILED_STATUSES : f.status ? [f.status] : undefined);
  }
}
