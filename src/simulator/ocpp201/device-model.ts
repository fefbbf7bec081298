// Pure: the small device model of a simulated OCPP 2.0.1 station (Part 2 "Device Model", the standard
// components of Appendix 3), with GetVariables / SetVariables semantics (B06, B05) and the report data of
// GetBaseReport (B07). Only the Actual attribute exists. The station applies the effect of a changed variable.
import { FleetSettings } from '../model/fleet-settings.ts';
import type * as T from '../../ocpp/v201/types.ts';

type DataType = 'integer' | 'boolean' | 'string' | 'MemberList';
type Mutability = 'ReadOnly' | 'ReadWrite' | 'WriteOnly';

interface VariableDef {
  component: string;
  variable: string;
  instance?: string;
  dataType: DataType;
  mutability: Mutability;
  valuesList?: string;
  /** a string's length bounds */
  length?: [number, number];
}

/** Measurands a simulated meter can report (SampledDataCtrlr.*Measurands). */
export const MEASURANDS_201 = ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'Voltage', 'SoC'] as const;

const rw = (component: string, variable: string, dataType: DataType, o: Partial<VariableDef> = {}): VariableDef => ({ component, variable, dataType, mutability: 'ReadWrite', ...o });
const ro = (component: string, variable: string, dataType: DataType, o: Partial<VariableDef> = {}): VariableDef => ({ component, variable, dataType, mutability: 'ReadOnly', ...o });

const VARIABLES: VariableDef[] = [
  rw('OCPPCommCtrlr', 'HeartbeatInterval', 'integer'),
  rw('OCPPCommCtrlr', 'MessageAttempts', 'integer', { instance: 'TransactionEvent' }),
  rw('OCPPCommCtrlr', 'MessageAttemptInterval', 'integer', { instance: 'TransactionEvent' }),
  // A Basic-auth password cpms accepts (2.0.1 A00 asks 16 to 40 characters; cpms takes 8 from 1.6 chargers too)
  rw('SecurityCtrlr', 'BasicAuthPassword', 'string', { mutability: 'WriteOnly', length: [8, 40] }),
  ro('SecurityCtrlr', 'SecurityProfile', 'integer'),
  ro('SecurityCtrlr', 'Identity', 'string'),
  rw('AuthCtrlr', 'AuthorizeRemoteStart', 'boolean'),
  rw('AuthCtrlr', 'LocalAuthorizeOffline', 'boolean'),
  rw('AuthCtrlr', 'OfflineTxForUnknownIdEnabled', 'boolean'),
  rw('AuthCacheCtrlr', 'Enabled', 'boolean'),
  rw('LocalAuthListCtrlr', 'Enabled', 'boolean'),
  ro('LocalAuthListCtrlr', 'Entries', 'integer'),
  rw('TxCtrlr', 'EVConnectionTimeOut', 'integer'),
  rw('TxCtrlr', 'StopTxOnInvalidId', 'boolean'),
  rw('SampledDataCtrlr', 'TxUpdatedInterval', 'integer'),
  rw('SampledDataCtrlr', 'TxUpdatedMeasurands', 'MemberList', { valuesList: MEASURANDS_201.join(',') }),
  rw('SampledDataCtrlr', 'TxEndedMeasurands', 'MemberList', { valuesList: MEASURANDS_201.join(',') }),
  ro('SmartChargingCtrlr', 'Enabled', 'boolean'),
  ro('SmartChargingCtrlr', 'ProfileStackLevel', 'integer'),
  ro('SmartChargingCtrlr', 'PeriodsPerSchedule', 'integer'),
  ro('SmartChargingCtrlr', 'RateUnit', 'MemberList', { valuesList: 'A,W' }),
  ro('ReservationCtrlr', 'Enabled', 'boolean'),
  ro('DeviceDataCtrlr', 'ItemsPerMessage', 'integer', { instance: 'GetReport' }),
];

/** A variable's key: component, variable and instance, as GetVariables names it. */
export const variableKey = (component: string, variable: string, instance?: string): string => `${component}/${variable}${instance ? `/${instance}` : ''}`;

const DEFS = new Map(VARIABLES.map((d) => [variableKey(d.component, d.variable, d.instance), d]));
const COMPONENTS = new Set(VARIABLES.map((d) => d.component));

function isValid(def: VariableDef, value: string): boolean {
  if (def.dataType === 'integer') return /^\d+$/.test(value);
  if (def.dataType === 'boolean') return value === 'true' || value === 'false';
  if (def.length) return value.length >= def.length[0] && value.length <= def.length[1];
  if (def.dataType === 'MemberList') return value === '' || value.split(',').every((m) => def.valuesList!.split(',').includes(m.trim()));
  return true;
}

export type SetStatus = T.SetVariableStatusEnumType;

export class DeviceModel extends FleetSettings {
  constructor(defaults: Readonly<Record<string, string>>, own: Record<string, string> = {}) {
    super(defaults, own, (key) => DEFS.has(key), 'device model variable');
  }

  /** OCPP 2.0.1 B06: one result per asked variable; a WriteOnly one is Rejected (B06 FR.04 says so for passwords). */
  get(d: T.GetVariableDataType): T.GetVariableResultType {
    const base = { component: d.component, variable: d.variable, ...(d.attributeType ? { attributeType: d.attributeType } : {}) };
    const status = this.lookup(d.component.name, d.variable.name, d.variable.instance);
    if (status !== 'Accepted') return { ...base, attributeStatus: status };
    if ((d.attributeType ?? 'Actual') !== 'Actual') return { ...base, attributeStatus: 'NotSupportedAttributeType' };
    const def = DEFS.get(variableKey(d.component.name, d.variable.name, d.variable.instance))!;
    if (def.mutability === 'WriteOnly') return { ...base, attributeStatus: 'Rejected' };
    return { ...base, attributeStatus: 'Accepted', attributeValue: this.value(variableKey(def.component, def.variable, def.instance)) ?? '' };
  }

  /** OCPP 2.0.1 B05: Rejected for a ReadOnly variable or a bad value; the key of an Accepted change is returned to apply it. */
  set(d: T.SetVariableDataType): { result: T.SetVariableResultType; changedKey?: string } {
    const base = { component: d.component, variable: d.variable, ...(d.attributeType ? { attributeType: d.attributeType } : {}) };
    const status = this.lookup(d.component.name, d.variable.name, d.variable.instance);
    if (status !== 'Accepted') return { result: { ...base, attributeStatus: status } };
    if ((d.attributeType ?? 'Actual') !== 'Actual') return { result: { ...base, attributeStatus: 'NotSupportedAttributeType' } };
    const key = variableKey(d.component.name, d.variable.name, d.variable.instance);
    const def = DEFS.get(key)!;
    if (def.mutability === 'ReadOnly' || !isValid(def, d.attributeValue)) return { result: { ...base, attributeStatus: 'Rejected' } };
    this.changed.set(key, d.attributeValue);
    return { result: { ...base, attributeStatus: 'Accepted' }, changedKey: key };
  }

  /** OCPP 2.0.1 B07: the report data of a base report (ConfigurationInventory: the variables one may set). */
  report(base: T.ReportBaseEnumType): T.ReportDataType[] {
    const defs = base === 'ConfigurationInventory' ? VARIABLES.filter((d) => d.mutability !== 'ReadOnly') : VARIABLES;
    return defs.filter((d) => this.has(variableKey(d.component, d.variable, d.instance))).map((d) => {
      const value = this.value(variableKey(d.component, d.variable, d.instance));
      return {
        component: { name: d.component },
        variable: { name: d.variable, ...(d.instance ? { instance: d.instance } : {}) },
        variableAttribute: [{ type: 'Actual', mutability: d.mutability, persistent: true, constant: false, ...(d.mutability === 'WriteOnly' ? {} : { value }) }],
        variableCharacteristics: { dataType: d.dataType, supportsMonitoring: false, ...(d.valuesList ? { valuesList: d.valuesList } : {}) },
      } as T.ReportDataType;
    });
  }

  private lookup(component: string, variable: string, instance: string | undefined): 'Accepted' | 'UnknownComponent' | 'UnknownVariable' {
    if (!COMPONENTS.has(component)) return 'UnknownComponent';
    return this.has(variableKey(component, variable, instance)) ? 'Accepted' : 'UnknownVariable';
  }
}
