import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import type { CampaignCharger, CampaignStatus, FirmwareCampaign, NewCampaign } from './firmware.types.ts';

type Row = Record<string, any>;

const toCampaign = (r: Row): FirmwareCampaign => ({
  id: r.id, name: r.name, location: r.location, windowStart: new Date(r.window_start), windowEnd: new Date(r.window_end), retries: r.retries ?? null, retryInterval: r.retry_interval ?? null,
  signingCertificate: r.signing_certificate ?? null, signature: r.signature ?? null,
  status: r.status, createdBy: r.created_by, createdAt: new Date(r.created_at),
});

const toTarget = (r: Row): CampaignCharger => ({ chargePointId: r.charge_point_id, status: r.status, lastError: r.last_error ?? null, sentAt: r.sent_at ? new Date(r.sent_at) : null, updatedAt: new Date(r.updated_at) });

export async function insertCampaign(db: Db, c: Omit<NewCampaign, 'chargePointIds'> & { createdBy: string }, at: Date): Promise<FirmwareCampaign> {
  const [row] = await db('firmware_campaigns')
    .insert({ name: c.name, location: c.location, window_start: c.windowStart, window_end: c.windowEnd, retries: c.retries, retry_interval: c.retryInterval, signing_certificate: c.signingCertificate, signature: c.signature, status: 'SCHEDULED', created_by: c.createdBy, created_at: at })
    .returning('*');
  return toCampaign(row);
}

export async function insertTargets(db: Db, campaignId: number, chargePointIds: string[], at: Date): Promise<void> {
  await db('firmware_campaign_chargers').insert(chargePointIds.map((id) => ({ campaign_fk: campaignId, charge_point_id: id, status: 'PENDING', updated_at: at })));
}

export async function getCampaign(db: Db, id: number): Promise<FirmwareCampaign> {
  const row = await db('firmware_campaigns').where({ id }).first();
  if (!row) throw new NotFound(`firmware campaign ${id} not found`);
  return toCampaign(row);
}

export async function listCampaigns(db: Db, f: { status?: CampaignStatus; limit: number; offset: number }): Promise<FirmwareCampaign[]> {
  const q = db('firmware_campaigns').orderBy('id', 'desc').limit(f.limit).offset(f.offset);
  if (f.status) q.where({ status: f.status });
  return (await q).map(toCampaign);
}

/** Campaigns the job looks at: SCHEDULED or RUNNING whose window has begun. */
export async function listDueCampaigns(db: Db, now: Date): Promise<FirmwareCampaign[]> {
  return (await db('firmware_campaigns').whereIn('status', ['SCHEDULED', 'RUNNING']).where('window_start', '<=', now).orderBy('id')).map(toCampaign);
}

export async function updateCampaignStatus(db: Db, id: number, from: CampaignStatus[], to: CampaignStatus): Promise<boolean> {
  return (await db('firmware_campaigns').where({ id }).whereIn('status', from).update({ status: to })) > 0;
}

export async function listTargets(db: Db, campaignId: number, statuses?: readonly string[]): Promise<CampaignCharger[]> {
  const q = db('firmware_campaign_chargers').where({ campaign_fk: campaignId }).orderBy('charge_point_id');
  if (statuses) q.whereIn('status', statuses);
  return (await q).map(toTarget);
}

/** Counts of the campaign's chargers per status. */
export async function countTargetsByStatus(db: Db, campaignId: number): Promise<Record<string, number>> {
  const rows = await db('firmware_campaign_chargers').where({ campaign_fk: campaignId }).groupBy('status').select('status', db.raw('count(*)::int as n'));
  return Object.fromEntries(rows.map((r: Row) => [r.status, Number(r.n)]));
}

export async function updateTarget(db: Db, campaignId: number, chargePointId: string, t: { status: string; lastError?: string | null; sentAt?: Date }, at: Date): Promise<void> {
  await db('firmware_campaign_chargers').where({ campaign_fk: campaignId, charge_point_id: chargePointId }).update({ status: t.status, last_error: t.lastError ?? null, ...(t.sentAt ? { sent_at: t.sentAt } : {}), updated_at: at });
}

/** Moves every target of the campaign in `from` to `to` (window over: NOT_SENT; cancelled: CANCELLED). */
export async function updateTargetsInStatus(db: Db, campaignId: number, from: string, to: string, at: Date): Promise<number> {
  return db('firmware_campaign_chargers').where({ campaign_fk: campaignId, status: from }).update({ status: to, updated_at: at });
}

/**
 * Records a FirmwareStatusNotification on the charger's latest campaign target that was sent (the
 * charger reports on the last UpdateFirmware it got); returns whether one was found.
 */
export async function updateLatestSentTarget(db: Db, chargePointId: string, status: string, at: Date): Promise<boolean> {
  const latest = db('firmware_campaign_chargers').where({ charge_point_id: chargePointId }).whereNotNull('sent_at').orderBy('sent_at', 'desc').orderBy('campaign_fk', 'desc').limit(1).select('campaign_fk');
  return (await db('firmware_campaign_chargers').where({ charge_point_id: chargePointId }).where('campaign_fk', '=', latest).update({ status, updated_at: at })) > 0;
}

/** Records a SignedFirmwareStatusNotification on the target its requestId names (the campaign id); false when there is none. */
export async function updateSentTarget(db: Db, campaignId: number, chargePointId: string, status: string, at: Date): Promise<boolean> {
  return (await db('firmware_campaign_chargers').where({ campaign_fk: campaignId, charge_point_id: chargePointId }).whereNotNull('sent_at').update({ status, updated_at: at })) > 0;
}

/** The OCPP version the charger last connected with ('ocpp1.6' | 'ocpp2.0.1'), or null. */
export async function chargerProtocol(db: Db, id: string): Promise<string | null> {
  return (await db('charge_points').where({ id }).first('protocol'))?.protocol ?? null;
}

export async function listExistingChargers(db: Db, ids: string[]): Promise<string[]> {
  return db('charge_points').whereIn('id', ids).pluck('id');
}
