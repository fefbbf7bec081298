// Pure: what a driver is told about an EVSE (issue 11 driver app): one word from its connector's OCPP 1.6
// status (§7.7 ChargePointStatus) and whether its charger is online.

export type Availability = 'AVAILABLE' | 'CHARGING' | 'OCCUPIED' | 'FAULTED' | 'UNAVAILABLE' | 'OFFLINE' | 'UNKNOWN';

/** The EVSE's availability; an offline charger's last status is not trusted. */
export function availabilityOf(ocppStatus: string | null, isOnline: boolean): Availability {
  if (!isOnline) return 'OFFLINE';
  switch (ocppStatus) {
    case 'Available': return 'AVAILABLE';
    case 'Charging': return 'CHARGING';
    // Plugged in but not (yet, or any more) charging: someone is there.
    case 'Preparing': case 'SuspendedEV': case 'SuspendedEVSE': case 'Finishing': case 'Reserved': return 'OCCUPIED';
    case 'Faulted': return 'FAULTED';
    case 'Unavailable': return 'UNAVAILABLE';
    default: return 'UNKNOWN';
  }
}

/** Max power in W: the operator's value, else voltage × amperage × phases (OCPI 2.2.1 locations §8.4.6). */
export function maxPowerW(c: { maxElectricPower: number | null; maxVoltage: number; maxAmperage: number; powerType: string }): number {
  if (c.maxElectricPower !== null) return c.maxElectricPower;
  return c.maxVoltage * c.maxAmperage * (c.powerType === 'AC_3_PHASE' ? 3 : 1);
}
