// Pure: which EVSE each connector of a charger is on. OCPI 2.2.1 locations §8.3.2: an EVSE charges one EV at
// a time, and its NOTE (after the OCA application note "Multiple Connectors per EVSE in a OCPP 1.x
// implementation") has an OCPP 1.x charger present each connector as its own EVSE. So by default connector
// 1 is on the EVSE the operator attached the charger to, and connector n on `<that uid>-<n>`; the operator
// may put several connectors on one EVSE (one outlet with two cables). No I/O.

/** OCPI 2.2.1 locations §8.3.2: EVSE.uid is a CiString(36). */
export const EVSE_UID_MAX = 36;

/** The uid connector `connectorNumber` gets by default: `<base>-<n>`, the base cut so that it fits 36 characters. */
export function derivedEvseUid(baseUid: string, connectorNumber: number): string {
  const suffix = `-${connectorNumber}`;
  return `${baseUid.slice(0, EVSE_UID_MAX - suffix.length)}${suffix}`;
}

/** A connector of the charger with the EVSE it is on now. */
export interface PlacedConnector {
  connectorNumber: number;
  /** The connector whose EVSE this one shares by default (a 2.0.1 EVSE's connector 1); absent: its own. */
  evseGroup?: number;
  evse: { id: number; uid: string; locationId: string } | null;
}

/** Where the charger is being attached. */
export interface AttachTarget {
  locationId: string;
  /** The EVSE the operator named: connector 1's. */
  evseUid: string;
  /** The charger's primary EVSE before this attach (null: never attached). */
  previousPrimaryFk: number | null;
}

/** A connector's uid when it keeps none: its `evseGroup`'s (already planned), else its own derived one. */
function defaultUid(plan: ReadonlyMap<number, string>, target: AttachTarget, c: PlacedConnector): string {
  const group = c.evseGroup ?? c.connectorNumber;
  const groupUid = group === c.connectorNumber ? undefined : plan.get(group);
  if (groupUid !== undefined) return groupUid;
  return group === 1 ? target.evseUid : derivedEvseUid(target.evseUid, group);
}

/**
 * The EVSE uid each connector should be on after attaching the charger (connector number → uid):
 * connector 1, and any connector the operator had put on the charger's previous primary EVSE (a second
 * cable of connector 1's outlet), go to the named EVSE; a connector already on an EVSE of the target
 * location keeps it (its uid never changes, locations §8.3.2, and the operator's mapping stays); any other
 * connector gets its derived uid, or the uid of its `evseGroup` connector (listed before it).
 */
export function planAttach(connectors: readonly PlacedConnector[], target: AttachTarget): Map<number, string> {
  const plan = new Map<number, string>();
  for (const c of connectors) {
    const onPrevious = c.evse !== null && c.evse.id === target.previousPrimaryFk;
    if (c.connectorNumber === 1 || onPrevious) plan.set(c.connectorNumber, target.evseUid);
    else if (c.evse !== null && c.evse.locationId === target.locationId) plan.set(c.connectorNumber, c.evse.uid);
    else plan.set(c.connectorNumber, defaultUid(plan, target, c));
  }
  return plan;
}
