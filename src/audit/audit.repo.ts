import type { Db } from '../db/knex.ts';

export interface AuditEntry {
  id: number;
  at: Date;
  source: 'api' | 'cli';
  actorKind: 'operator' | 'api_key' | 'cli';
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  request: unknown;
  requestId: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  actor?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

const toEntry = (r: Record<string, any>): AuditEntry => ({
  id: Number(r.id), at: r.at, source: r.source, actorKind: r.actor_kind, actorId: r.actor_id, actorLabel: r.actor_label, action: r.action,
  entityType: r.entity_type, entityId: r.entity_id, before: r.before, after: r.after, request: r.request, requestId: r.request_id,
});

// jsonb columns take JSON text: a bare string or array would otherwise be sent as a Postgres value.
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export async function insertAuditEntry(db: Db, e: NewAuditEntry): Promise<void> {
  await db('audit_log').insert({
    at: e.at, source: e.source, actor_kind: e.actorKind, actor_id: e.actorId, actor_label: e.actorLabel, action: e.action,
    entity_type: e.entityType, entity_id: e.entityId, before: json(e.before), after: json(e.after), request: json(e.request), request_id: e.requestId,
  });
}

/** Newest first; `actor` is `<kind>:<id>` (e.g. operator:3, api_key:1) or a label (email, key name, OS user). */
export async function listAuditEntries(db: Db, f: AuditFilter): Promise<AuditEntry[]> {
  const q = db('audit_log').orderBy('id', 'desc').limit(f.limit).offset(f.offset);
  const kindAndId = f.actor === undefined ? null : /^(operator|api_key|cli):(.+)$/.exec(f.actor);
  if (kindAndId) q.where({ actor_kind: kindAndId[1], actor_id: kindAndId[2] });
  else if (f.actor !== undefined) q.whereRaw('lower(actor_label) = lower(?)', [f.actor]);
  if (f.entityType !== undefined) q.where('entity_type', f.entityType);
  if (f.entityId !== undefined) q.where('entity_id', f.entityId);
  if (f.from !== undefined) q.where('at', '>=', f.from);
  if (f.to !== undefined) q.where('at', '<', f.to);
  return (await q).map(toEntry);
}
