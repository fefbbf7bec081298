import type { Db } from '../db/knex.ts';
import type { ChargingNeedsType } from '../ocpp/v201/types.ts';
import type { Clock } from '../shared/clock.ts';
import { findChargingPreferences, updateEvChargingPreferences } from './ocpi.repo.ts';
import { evChargingPreferences } from './ocpp201.mapper.ts';
import { findActiveSessionOnConnectors } from './session.repo.ts';
import { sharedConnectorRange } from '../chargers/evse-address.ts';

/**
 * OCPP 2.0.1 K15 NotifyEVChargingNeeds: the EV's energy need and departure become the charging preferences of
 * the session on that EVSE, which load management plans with at its next run (as an eMSP's OCPI preferences).
 */
export class EvChargingNeedsService {
  constructor(private readonly o: { db: Db; clock: Clock }) {}

  /** Accepted when stored for the EVSE's running session; Rejected (nothing changed) when none runs there. */
  async record(chargePointId: string, evseId: number, needs: ChargingNeedsType): Promise<'Accepted' | 'Rejected'> {
    // EVSE n is connector n and its connectors 2 and up (chargers/evse-address.ts); one EV charges at a time.
    const session = evseId > 0 ? await findActiveSessionOnConnectors(this.o.db, chargePointId, { one: evseId, shared: sharedConnectorRange(evseId) }) : undefined;
    if (!session) return 'Rejected';
    const stored = await findChargingPreferences(this.o.db, session.id);
    const preferences = evChargingPreferences(needs, { deliveredWh: session.energyWh, emsp: stored?.isFromEmsp ? stored.preferences : undefined });
    await updateEvChargingPreferences(this.o.db, session.id, { preferences, at: this.o.clock.now() });
    return 'Accepted';
  }
}
