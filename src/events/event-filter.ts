// Pure: which stored events a subscriber of GET /api/v1/events receives, and the SSE wire format.
import { InvalidInput } from '../shared/errors.ts';
import { EVENT_TYPES, type EventFilter, type EventType, type LiveEvent } from './event.types.ts';

/** Whether `e` passes `f` (each given field must match; `types`: any of them). */
export function matchesFilter(f: EventFilter, e: Pick<LiveEvent, 'type' | 'chargePointId' | 'locationId'>): boolean {
  if (f.chargePointId !== undefined && e.chargePointId !== f.chargePointId) return false;
  if (f.locationId !== undefined && e.locationId !== f.locationId) return false;
  return f.types === undefined || f.types.includes(e.type);
}

/** `types=a,b`: each must be a known event type (400 otherwise). */
export function parseTypes(raw: string | undefined): EventType[] | undefined {
  if (raw === undefined) return undefined;
  const types = raw.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length || !types.length) throw new InvalidInput(`types: unknown event type(s) ${unknown.join(', ') || '(none given)'}; known: ${EVENT_TYPES.join(', ')}`);
  return types as EventType[];
}

/** Last-Event-ID (header, or `lastEventId` for a first connection): a non-negative integer, or none. */
export function parseLastEventId(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,18}$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new InvalidInput('Last-Event-ID: must be an event id (a non-negative integer)');
  return Number(raw);
}

/** One event in the text/event-stream format (HTML Living Standard §9.2.6): id, event name, JSON data. */
export function formatSse(e: LiveEvent): string {
  const body = { id: e.id, type: e.type, chargePointId: e.chargePointId, locationId: e.locationId, occurredAt: e.occurredAt.toISOString(), ...e.data };
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(body)}\n\n`;
}
