// Pure: which cpms connector an OCPP 2.0.1 (evseId, connectorId) is, and back. No I/O.
// OCPP 2.0.1 Part 1 §2.2 (3-tier model): a station has EVSEs numbered from 1, each with connectors numbered
// from 1, of which one at a time can be used. cpms numbers a charger's connectors with one integer (the 1.6
// connectorId), so EVSE n's connector 1 stays connector n (as before multi-connector EVSEs, and as a 1.6
// charger numbers them) and its connector k ≥ 2 is connector 100·n + k: EVSE 1's second connector is 102.
// The mapping is arithmetic, not stored: nothing is remembered per station across connections.

/** EVSE n's connector k ≥ 2 is cpms connector `EVSE_CONNECTOR_BASE · n + k`. */
export const EVSE_CONNECTOR_BASE = 100;
/** Highest 2.0.1 evseId (and connectorId on an EVSE) cpms can number. */
export const MAX_EVSE_ID = EVSE_CONNECTOR_BASE - 1;

/** A 2.0.1 connector address: evseId 0 is the station as a whole. */
export interface EvseAddress {
  evseId: number;
  connectorId: number;
}

const isWithin = (n: number, min: number) => Number.isInteger(n) && n >= min && n <= MAX_EVSE_ID;

/**
 * The cpms connector number of 2.0.1 EVSE `evseId`'s connector `connectorId` (absent: the EVSE, read as its
 * connector 1); 0 for evseId 0 (the station). Undefined when no cpms connector can stand for it: an EVSE or
 * connector id outside 1..99, or a connectorId without an evseId that is not 1.
 */
export function connectorNumberOf(evseId: number, connectorId = 1): number | undefined {
  if (evseId === 0) return 0;
  // Connector 1 keeps its number unchecked: the charger's connector limits refuse what no charger has.
  if (connectorId === 1) return evseId < EVSE_CONNECTOR_BASE ? evseId : undefined;
  if (!isWithin(evseId, 1) || !isWithin(connectorId, 2)) return undefined;
  return EVSE_CONNECTOR_BASE * evseId + connectorId;
}

/** True when cpms connector `connectorNumber` is a 2.0.1 EVSE's second or later connector (see connectorNumberOf). */
export function isSharedEvseConnector(connectorNumber: number): boolean {
  if (!Number.isInteger(connectorNumber) || connectorNumber <= EVSE_CONNECTOR_BASE) return false;
  const evseId = Math.floor(connectorNumber / EVSE_CONNECTOR_BASE);
  return evseId <= MAX_EVSE_ID && connectorNumber % EVSE_CONNECTOR_BASE >= 2;
}

/** The 2.0.1 (evseId, connectorId) of cpms connector `connectorNumber` (0: the station, { evseId: 0, connectorId: 0 }). */
export function evseAddressOf(connectorNumber: number): EvseAddress {
  if (connectorNumber === 0) return { evseId: 0, connectorId: 0 };
  if (!isSharedEvseConnector(connectorNumber)) return { evseId: connectorNumber, connectorId: 1 };
  return { evseId: Math.floor(connectorNumber / EVSE_CONNECTOR_BASE), connectorId: connectorNumber % EVSE_CONNECTOR_BASE };
}

/** The cpms connector that is connector 1 of the 2.0.1 EVSE `connectorNumber` is on (itself for a connector 1). */
export function evseConnectorOneOf(connectorNumber: number): number {
  return evseAddressOf(connectorNumber).evseId;
}

/** The lowest and highest cpms connector numbers of 2.0.1 EVSE `evseId`'s connectors 2 and up (none for evseId < 1: an empty range). */
export function sharedConnectorRange(evseId: number): [number, number] {
  if (!isWithin(evseId, 1)) return [1, 0];
  return [EVSE_CONNECTOR_BASE * evseId + 2, EVSE_CONNECTOR_BASE * evseId + MAX_EVSE_ID];
}
