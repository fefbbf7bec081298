// Pure: the OCPP 1.6 configuration keys of a simulated charger (OCPP 1.6 §9, the standard keys of the
// Core, Local Auth List, Reservation and Smart Charging profiles) with GetConfiguration / ChangeConfiguration
// semantics (§5.8, §5.3). The station applies the effect of a changed key.
import { FleetSettings } from '../model/fleet-settings.ts';

type Kind = 'int' | 'bool' | 'csl' | 'key';

interface KeyDef {
  kind: Kind;
  readonly: boolean;
  /** AuthorizationKey: may be set, is never read back (OCPP 1.6 security whitepaper) */
  writeOnly?: boolean;
}

/** Measurands a simulated meter can report (OCPP 1.6 Measurand). */
export const MEASURANDS = ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'Voltage', 'SoC'] as const;

const KEYS: Record<string, KeyDef> = {
  AllowOfflineTxForUnknownId: { kind: 'bool', readonly: false },
  AuthorizationCacheEnabled: { kind: 'bool', readonly: false },
  AuthorizationKey: { kind: 'key', readonly: false, writeOnly: true },
  AuthorizeRemoteTxRequests: { kind: 'bool', readonly: false },
  ChargeProfileMaxStackLevel: { kind: 'int', readonly: true },
  ChargingScheduleAllowedChargingRateUnit: { kind: 'csl', readonly: true },
  ChargingScheduleMaxPeriods: { kind: 'int', readonly: true },
  ClockAlignedDataInterval: { kind: 'int', readonly: false },
  ConnectionTimeOut: { kind: 'int', readonly: false },
  GetConfigurationMaxKeys: { kind: 'int', readonly: true },
  HeartbeatInterval: { kind: 'int', readonly: false },
  LocalAuthListEnabled: { kind: 'bool', readonly: false },
  LocalAuthListMaxLength: { kind: 'int', readonly: true },
  LocalAuthorizeOffline: { kind: 'bool', readonly: false },
  LocalPreAuthorize: { kind: 'bool', readonly: false },
  MaxChargingProfilesInstalled: { kind: 'int', readonly: true },
  MeterValuesAlignedData: { kind: 'csl', readonly: false },
  MeterValuesSampledData: { kind: 'csl', readonly: false },
  MeterValueSampleInterval: { kind: 'int', readonly: false },
  NumberOfConnectors: { kind: 'int', readonly: true },
  ReserveConnectorZeroSupported: { kind: 'bool', readonly: true },
  ResetRetries: { kind: 'int', readonly: false },
  SendLocalListMaxLength: { kind: 'int', readonly: true },
  StopTransactionOnEVSideDisconnect: { kind: 'bool', readonly: true },
  StopTransactionOnInvalidId: { kind: 'bool', readonly: false },
  StopTxnAlignedData: { kind: 'csl', readonly: false },
  StopTxnSampledData: { kind: 'csl', readonly: false },
  SupportedFeatureProfiles: { kind: 'csl', readonly: true },
  TransactionMessageAttempts: { kind: 'int', readonly: false },
  TransactionMessageRetryInterval: { kind: 'int', readonly: false },
  UnlockConnectorOnEVSideDisconnect: { kind: 'bool', readonly: true },
  WebSocketPingInterval: { kind: 'int', readonly: false },
};

const MEASURAND_KEYS = new Set(['MeterValuesAlignedData', 'MeterValuesSampledData', 'StopTxnAlignedData', 'StopTxnSampledData']);

export interface ConfigurationKey {
  key: string;
  readonly: boolean;
  value?: string;
}

export type ChangeStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

/** Whether `value` is acceptable for a key of kind `def` (and, for measurand lists, names only known ones). */
function isValid(key: string, def: KeyDef, value: string): boolean {
  if (def.kind === 'int') return /^\d+(\.\d+)?$/.test(value); // seconds; the simulator takes fractions too
  if (def.kind === 'bool') return value === 'true' || value === 'false';
  if (def.kind === 'key') return value.length >= 8 && value.length <= 40; // a Basic-auth password cpms accepts
  if (!MEASURAND_KEYS.has(key)) return true;
  return value === '' || value.split(',').every((m) => (MEASURANDS as readonly string[]).includes(m.trim()));
}

export class Ocpp16Configuration extends FleetSettings {
  constructor(defaults: Readonly<Record<string, string>>, own: Record<string, string> = {}) {
    super(defaults, own, (key) => Boolean(KEYS[key]), 'configuration key');
  }

  /** OCPP 1.6 §5.8: every key when none is asked; unknown ones listed in unknownKey. */
  get(keys: string[] | undefined): { configurationKey: ConfigurationKey[]; unknownKey: string[] } {
    const asked = keys && keys.length > 0 ? keys : [...new Set([...Object.keys(this.defaults), ...this.changed.keys()])];
    const configurationKey: ConfigurationKey[] = [];
    const unknownKey: string[] = [];
    for (const key of asked) {
      const def = KEYS[key];
      if (!def || !this.has(key)) {
        unknownKey.push(key);
        continue;
      }
      configurationKey.push({ key, readonly: def.readonly, ...(def.writeOnly ? {} : { value: this.value(key) }) });
    }
    return { configurationKey, unknownKey };
  }

  /** OCPP 1.6 §5.3: NotSupported for an unknown key, Rejected for a read-only key or a bad value. */
  change(key: string, value: string): ChangeStatus {
    const def = KEYS[key];
    if (!def || !this.has(key)) return 'NotSupported';
    if (def.readonly || !isValid(key, def, value)) return 'Rejected';
    this.changed.set(key, value);
    return 'Accepted';
  }
}
