// Pure: the charging profiles a charger has installed, with the checks a charger makes before accepting one.
import { clearProfiles, installProfile, type ChargingProfile, type ClearCriteria } from './charging-profiles.ts';

export type SetProfileResult = 'Accepted' | 'Rejected' | 'NotSupported';

export class ProfileStore {
  profiles: ChargingProfile[] = [];

  constructor(
    private readonly connectors: number,
    private readonly maxStackLevel: number,
    private readonly maxInstalled: number,
  ) {}

  /**
   * OCPP 1.6 §5.16 SetChargingProfile. `txOnConnector` is the transaction running on the profile's connector.
   * A ChargePointMaxProfile belongs on connector 0 (§3.13.1); a TxProfile needs a running transaction on its
   * connector ("If there is no transaction active on the connector specified, the Charge Point SHALL discard it
   * and return an error status") and, when it names one, that very transaction.
   */
  set(p: ChargingProfile, txOnConnector: string | undefined): SetProfileResult {
    if (p.connectorId < 0 || p.connectorId > this.connectors) return 'Rejected';
    if (p.stackLevel < 0 || p.stackLevel > this.maxStackLevel) return 'Rejected';
    if (p.schedule.periods.length === 0) return 'Rejected';
    if (p.purpose === 'ChargePointMax' && p.connectorId !== 0) return 'Rejected';
    if (p.purpose === 'Tx') {
      if (p.connectorId === 0 || txOnConnector === undefined) return 'Rejected';
      if (p.txRef !== undefined && p.txRef !== txOnConnector) return 'Rejected';
      p = { ...p, txRef: txOnConnector };
    }
    const next = installProfile(this.profiles, p);
    if (next.length > this.maxInstalled) return 'Rejected';
    this.profiles = next;
    return 'Accepted';
  }

  /** OCPP 1.6 §5.5 ClearChargingProfile: Unknown when nothing matched. */
  clear(criteria: ClearCriteria): 'Accepted' | 'Unknown' {
    const { kept, cleared } = clearProfiles(this.profiles, criteria);
    this.profiles = kept;
    return cleared > 0 ? 'Accepted' : 'Unknown';
  }

  /** OCPP 1.6 §3.13.1: a TxProfile ends with its transaction. */
  transactionEnded(txRef: string): void {
    this.profiles = this.profiles.filter((p) => !(p.purpose === 'Tx' && p.txRef === txRef));
  }
}
