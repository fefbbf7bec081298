import type { Db } from '../db/knex.ts';
import type { SecurityEvent } from './security-event.ts';

type Row = Record<string, any>;

const toEvent = (r: Row): SecurityEvent => ({
  id: Number(r.id),
  chargePointId: r.charge_point_id,
  type: r.type,
  techInfo: r.tech_info ?? null,
  isCritical: r.is_critical,
  occurredAt: new Date(r.occurred_at),
  receivedAt: new Date(r.received_at),
});

export async function insertSecurityEvent(db: Db, e: Omit<SecurityEvent, 'id'>): Promise<SecurityEvent> {
  const [row] = await db('security_events')
    .insert({ charge_point_id: e.chargePointId, type: e.type, tech_info: e.techInfo, is_critical: e.isCritical, occurred_at: e.occurredAt, received_at: e.receivedAt })
    .returning('*');
  return toEvent(row);
}

export interface SecurityEventFilter {
  chargePointId?: string;
  isCritical?: boolean;
  limit: number;
  offset: number;
}

/** Newest first. */
export async function listSecurityEvents(db: Db, f: SecurityEventFilter): Promise<SecurityEvent[]> {
  const q = db('security_events').orderBy('id', 'desc').limit(f.limit).offset(f.offset);
  if (f.chargePointId !== undefined) q.where({ charge_point_id: f.chargePointId });
  if (f.isCritical !== undefined) q.where({ is_critical: f.isCritical });
  return (await q).map(toEvent);
}
