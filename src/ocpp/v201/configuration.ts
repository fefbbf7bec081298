// Pure: OCPP 1.6 configuration keys (§9 Standard Configuration Key Names) read and written on an OCPP 2.0.1
// station as the device-model variables that replaced them (2.0.1 Part 2 Appendices, "Referenced Components
// and Variables"). ChangeConfiguration → SetVariables, GetConfiguration → GetVariables. No I/O.
import type * as V16 from '../v16/types.ts';

export interface VariableRef {
  component: { name: string; instance?: string };
  variable: { name: string; instance?: string };
}

const v = (component: string, variable: string, variableInstance?: string): VariableRef => ({
  component: { name: component },
  variable: { name: variable, ...(variableInstance ? { instance: variableInstance } : {}) },
});

/**
 * 1.6 key → its 2.0.1 variable (station level). Keys with no single 2.0.1 variable (NumberOfConnectors: the
 * EVSEs of the device model; SupportedFeatureProfiles: 2.0.1 has functional blocks, no such list;
 * MinimumStatusDuration, ConnectorPhaseRotation, LightIntensity, BlinkRepeat…) are left out: unknownKey /
 * NotSupported. AuthorizationKey is written only (SecurityCtrlr.BasicAuthPassword, security/ocpp201.mapper.ts).
 */
export const CONFIGURATION_KEYS: Readonly<Record<string, VariableRef>> = {
  // §9.1 Core
  AllowOfflineTxForUnknownId: v('AuthCtrlr', 'OfflineTxForUnknownIdEnabled'),
  AuthorizationCacheEnabled: v('AuthCacheCtrlr', 'Enabled'),
  AuthorizeRemoteTxRequests: v('AuthCtrlr', 'AuthorizeRemoteStart'),
  ClockAlignedDataInterval: v('AlignedDataCtrlr', 'Interval'),
  ConnectionTimeOut: v('TxCtrlr', 'EVConnectionTimeOut'),
  GetConfigurationMaxKeys: v('DeviceDataCtrlr', 'ItemsPerMessage', 'GetVariables'),
  HeartbeatInterval: v('OCPPCommCtrlr', 'HeartbeatInterval'),
  LocalAuthorizeOffline: v('AuthCtrlr', 'LocalAuthorizeOffline'),
  LocalPreAuthorize: v('AuthCtrlr', 'LocalPreAuthorize'),
  MaxEnergyOnInvalidId: v('TxCtrlr', 'MaxEnergyOnInvalidId'),
  MeterValuesAlignedData: v('AlignedDataCtrlr', 'Measurands'),
  MeterValuesSampledData: v('SampledDataCtrlr', 'TxUpdatedMeasurands'),
  MeterValueSampleInterval: v('SampledDataCtrlr', 'TxUpdatedInterval'),
  ResetRetries: v('OCPPCommCtrlr', 'ResetRetries'),
  StopTransactionOnEVSideDisconnect: v('TxCtrlr', 'StopTxOnEVSideDisconnect'),
  StopTransactionOnInvalidId: v('TxCtrlr', 'StopTxOnInvalidId'),
  StopTxnAlignedData: v('AlignedDataCtrlr', 'TxEndedMeasurands'),
  StopTxnSampledData: v('SampledDataCtrlr', 'TxEndedMeasurands'),
  TransactionMessageAttempts: v('OCPPCommCtrlr', 'MessageAttempts', 'TransactionEvent'),
  TransactionMessageRetryInterval: v('OCPPCommCtrlr', 'MessageAttemptInterval', 'TransactionEvent'),
  UnlockConnectorOnEVSideDisconnect: v('OCPPCommCtrlr', 'UnlockOnEVSideDisconnect'),
  WebSocketPingInterval: v('OCPPCommCtrlr', 'WebSocketPingInterval'),
  // §9.2 Local Auth List Management
  LocalAuthListEnabled: v('LocalAuthListCtrlr', 'Enabled'),
  SendLocalListMaxLength: v('LocalAuthListCtrlr', 'ItemsPerMessage'),
  // §9.4 Smart Charging
  ChargeProfileMaxStackLevel: v('SmartChargingCtrlr', 'ProfileStackLevel'),
  ChargingScheduleAllowedChargingRateUnit: v('SmartChargingCtrlr', 'RateUnit'),
  ChargingScheduleMaxPeriods: v('SmartChargingCtrlr', 'PeriodsPerSchedule'),
  MaxChargingProfilesInstalled: v('SmartChargingCtrlr', 'Entries', 'ChargingProfiles'),
};

/** `Component[/instance].Variable[/instance]`: how a variable is named in a mutability lookup. */
export function variableKey(ref: VariableRef): string {
  const part = (o: { name: string; instance?: string }) => (o.instance ? `${o.name}/${o.instance}` : o.name);
  return `${part(ref.component)}.${part(ref.variable)}`;
}

/** The 1.6 key a 2.0.1 variable stands for (reverse of CONFIGURATION_KEYS). */
const KEY_OF = new Map(Object.entries(CONFIGURATION_KEYS).map(([key, ref]) => [variableKey(ref), key]));

// SetVariables attributeStatus (2.0.1 §3.73 SetVariableStatusEnumType) → 1.6 ConfigurationStatus.
const SET_STATUS: Record<string, V16.ChangeConfigurationResponse['status']> = {
  Accepted: 'Accepted', RebootRequired: 'RebootRequired', Rejected: 'Rejected', UnknownComponent: 'NotSupported', UnknownVariable: 'NotSupported', NotSupportedAttributeType: 'NotSupported',
};

interface VariableResult {
  attributeStatus: string;
  attributeValue?: string;
  component: { name: string; instance?: string };
  variable: { name: string; instance?: string };
}

/** SetVariables for a 1.6 ChangeConfiguration of a mapped key; undefined when the key has no 2.0.1 variable. */
export function setVariables201(p: V16.ChangeConfigurationRequest): { setVariableData: Array<VariableRef & { attributeValue: string }> } | undefined {
  const ref = CONFIGURATION_KEYS[p.key];
  return ref ? { setVariableData: [{ ...ref, attributeValue: p.value }] } : undefined;
}

/** The 1.6 ChangeConfiguration answer from the SetVariables answer (its one result). */
export function changeConfiguration16(response: unknown): V16.ChangeConfigurationResponse {
  const result = (response as { setVariableResult?: VariableResult[] }).setVariableResult?.[0];
  return { status: (result && SET_STATUS[result.attributeStatus]) ?? 'NotSupported' };
}

/** GetVariables for a 1.6 GetConfiguration (no key: every mapped key) and the requested keys without a 2.0.1 variable. */
export function getVariables201(p: V16.GetConfigurationRequest): { getVariableData: VariableRef[]; unmapped: string[] } {
  const keys = p.key?.length ? [...new Set(p.key)] : Object.keys(CONFIGURATION_KEYS);
  const mapped = keys.filter((k) => CONFIGURATION_KEYS[k]);
  return { getVariableData: mapped.map((k) => CONFIGURATION_KEYS[k]), unmapped: keys.filter((k) => !CONFIGURATION_KEYS[k]) };
}

/**
 * The 1.6 GetConfiguration answer from the GetVariables answer: an Accepted result is a configurationKey (the
 * value cut to 1.6's 500 characters), any other (Unknown*, Rejected, NotSupportedAttributeType) an unknownKey,
 * as are the keys `unmapped` and requested variables the station left out. `readOnly` holds the variables whose
 * mutability the device model reports ReadOnly (variableKey names); unknown means writable.
 */
export function getConfiguration16(response: unknown, requested: VariableRef[], unmapped: string[], readOnly: ReadonlySet<string> = new Set()): V16.GetConfigurationResponse {
  const results = (response as { getVariableResult?: VariableResult[] }).getVariableResult ?? [];
  const configurationKey: NonNullable<V16.GetConfigurationResponse['configurationKey']> = [];
  const unknownKey = [...unmapped];
  const answered = new Set<string>();
  for (const r of results) {
    const name = variableKey(r);
    const key = KEY_OF.get(name);
    if (!key || answered.has(name)) continue;
    answered.add(name);
    if (r.attributeStatus === 'Accepted') configurationKey.push({ key, readonly: readOnly.has(name), ...(r.attributeValue !== undefined ? { value: r.attributeValue.slice(0, 500) } : {}) });
    else unknownKey.push(key);
  }
  for (const ref of requested) if (!answered.has(variableKey(ref))) unknownKey.push(KEY_OF.get(variableKey(ref)) as string);
  return { ...(configurationKey.length ? { configurationKey } : {}), ...(unknownKey.length ? { unknownKey } : {}) };
}
