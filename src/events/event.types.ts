/** What GET /api/v1/events streams (issue 9 live monitoring). */
export const EVENT_TYPES = [
  'connector.status',
  'charger.connected',
  'charger.disconnected',
  'charger.offline',
  'session.started',
  'session.updated',
  'session.stopped',
  'alert.opened',
  'alert.closed',
  'alert.acknowledged',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** One stored event; `id` grows monotonically across the cluster (the events table's sequence). */
export interface LiveEvent {
  id: number;
  type: EventType;
  chargePointId: string | null;
  locationId: string | null;
  occurredAt: Date;
  data: Record<string, unknown>;
}

export type NewLiveEvent = Omit<LiveEvent, 'id'>;

/** A subscriber's filter: every given field must match (types: any of them). */
export interface EventFilter {
  locationId?: string;
  chargePointId?: string;
  types?: readonly EventType[];
}
