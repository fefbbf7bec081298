import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Tariff } from '../tariffs/tariff.types.ts';
import { listLiveRows, type LiveRow } from './live.repo.ts';
import { encodeCursor, type LiveQuery } from './live-query.ts';
import { costSoFar, type CostSoFar } from './live-cost.ts';

export interface LiveSession {
  id: number;
  uid: string;
  kWh: number;
  powerW: number | null;
  startAt: Date;
  durationSec: number;
  cost: CostSoFar | null;
}

export interface LiveConnector {
  connectorId: number;
  status: string;
  errorCode: string | null;
  statusAt: Date | null;
  session: LiveSession | null;
}

export interface LiveCharger {
  chargePointId: string;
  locationId: string | null;
  connected: boolean;
  online: boolean;
  connectedAt: Date | null;
  disconnectedAt: Date | null;
  lastSeenAt: Date | null;
  connectors: LiveConnector[];
}

const FALLBACK_TIME_ZONE = 'UTC';

/** The live view of chargers (GET /api/v1/live/chargers): one statement per page, grouped here. */
export class LiveViewService {
  constructor(private readonly o: { db: Knex; clock: Clock }) {}

  async chargers(q: LiveQuery): Promise<{ data: LiveCharger[]; nextCursor: string | null }> {
    const rows = await listLiveRows(this.o.db, q);
    const nowMs = this.o.clock.now().getTime();
    const byId = new Map<string, LiveCharger>();
    for (const r of rows) {
      let charger = byId.get(r.id);
      if (!charger) byId.set(r.id, (charger = toCharger(r)));
      if (r.connector_number !== null) charger.connectors.push(toConnector(r, nowMs));
    }
    const all = [...byId.values()];
    const data = all.slice(0, q.limit);
    const hasMore = all.length > q.limit;
    return { data, nextCursor: hasMore ? encodeCursor(data[data.length - 1]!.chargePointId) : null };
  }
}

function toCharger(r: LiveRow): LiveCharger {
  return { chargePointId: r.id, locationId: r.location_id, connected: r.is_connected, online: r.is_online, connectedAt: r.connected_at, disconnectedAt: r.disconnected_at, lastSeenAt: r.last_seen_at, connectors: [] };
}

function toConnector(r: LiveRow, nowMs: number): LiveConnector {
  return { connectorId: r.connector_number!, status: r.ocpp_status ?? 'Unknown', errorCode: r.error_code, statusAt: r.status_at, session: toSession(r, nowMs) };
}

function toSession(r: LiveRow, nowMs: number): LiveSession | null {
  if (r.session_id === null || r.start_at === null) return null;
  const startAt = new Date(r.start_at);
  const energyWh = Number(r.energy_wh ?? 0);
  const tariff = (typeof r.tariff_snapshot === 'string' ? JSON.parse(r.tariff_snapshot) : r.tariff_snapshot) as Tariff | null;
  return {
    id: r.session_id,
    uid: r.session_uid!,
    kWh: energyWh / 1000,
    powerW: r.power_w === null ? null : Number(r.power_w),
    startAt,
    durationSec: Math.max(0, Math.floor((nowMs - startAt.getTime()) / 1000)),
    cost: costSoFar(tariff, { startAt, energyWh, timeZone: r.time_zone ?? FALLBACK_TIME_ZONE }, nowMs),
  };
}
