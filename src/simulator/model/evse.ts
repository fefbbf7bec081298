// Pure: how a simulated 2.0.1 station's connectors sit on its EVSEs (OCPP 2.0.1 Part 1 §2.2: an EVSE has
// connectors numbered from 1, one usable at a time). The model numbers its connectors 1..n; with k per EVSE,
// model connector i is EVSE ⌈i/k⌉'s connector ((i-1) mod k)+1. k = 1: connector i is EVSE i's connector 1.

export interface EvseLayout {
  connectors: number;
  /** default 1 */
  connectorsPerEvse?: number;
}

const perEvse = (l: EvseLayout) => l.connectorsPerEvse ?? 1;

/** How many EVSEs the station has. */
export function evseCount(l: EvseLayout): number {
  return Math.ceil(l.connectors / perEvse(l));
}

/** The (evseId, connectorId) of model connector `connector`. */
export function evseAddressOf(l: EvseLayout, connector: number): { evseId: number; connectorId: number } {
  return { evseId: Math.ceil(connector / perEvse(l)), connectorId: ((connector - 1) % perEvse(l)) + 1 };
}

/** The model connectors on EVSE `evseId` (none for an EVSE the station does not have). */
export function connectorsOfEvse(l: EvseLayout, evseId: number): number[] {
  if (!Number.isInteger(evseId) || evseId < 1 || evseId > evseCount(l)) return [];
  const first = (evseId - 1) * perEvse(l) + 1;
  return Array.from({ length: perEvse(l) }, (_, i) => first + i).filter((c) => c <= l.connectors);
}

/** The model connector at EVSE `evseId`'s connector `connectorId`, or undefined when there is none. */
export function connectorAt(l: EvseLayout, evseId: number, connectorId: number): number | undefined {
  return connectorsOfEvse(l, evseId)[connectorId - 1];
}
