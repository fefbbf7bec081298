// Pure: the charger page's live state (issue 11), folded from the admin API's snapshot and then the
// event stream (README "Live monitoring"): connector statuses and the current session's samples.

export interface ConnectorView { connectorId: number; status: string; errorCode: string | null }
export interface Sample { t: number; kWh: number; powerW: number | null }
export interface LiveSession { sessionId: number; connectorId: number; kWh: number; powerW: number | null; samples: Sample[] }

export interface ChargerState {
  online: boolean;
  connectors: ConnectorView[];
  session: LiveSession | null;
}

/** One event of GET /api/v1/events as it arrives (data parsed). */
export interface LiveEvent { type: string; occurredAt?: string; [field: string]: unknown }

/** Samples kept for the chart: the newest ones. */
export const MAX_SAMPLES = 500;

function withConnector(list: ConnectorView[], c: ConnectorView): ConnectorView[] {
  const rest = list.filter((x) => x.connectorId !== c.connectorId);
  return [...rest, c].sort((a, b) => a.connectorId - b.connectorId);
}

/** The state after one event; events of other types leave it as it was. */
export function reduceCharger(state: ChargerState, e: LiveEvent): ChargerState {
  switch (e.type) {
    case 'charger.connected': return { ...state, online: true };
    case 'charger.disconnected': case 'charger.offline': return { ...state, online: false };
    case 'connector.status': {
      // OCPP 1.6 §4.9: connectorId 0 is the charger itself, not an outlet.
      if (e.connectorId === 0) return state;
      return { ...state, connectors: withConnector(state.connectors, { connectorId: Number(e.connectorId), status: String(e.status), errorCode: (e.errorCode as string | null) ?? null }) };
    }
    case 'session.started': case 'session.updated': {
      const sessionId = Number(e.sessionId);
      const prior = state.session?.sessionId === sessionId ? state.session.samples : [];
      const kWh = Number(e.kWh ?? 0);
      const powerW = e.powerW === null || e.powerW === undefined ? null : Number(e.powerW);
      const t = Date.parse(String(e.occurredAt ?? '')) || (prior.at(-1)?.t ?? 0);
      const samples = [...prior, { t, kWh, powerW }].slice(-MAX_SAMPLES);
      return { ...state, session: { sessionId, connectorId: Number(e.connectorId), kWh, powerW, samples } };
    }
    case 'session.stopped': return state.session?.sessionId === Number(e.sessionId) ? { ...state, session: null } : state;
    default: return state;
  }
}
