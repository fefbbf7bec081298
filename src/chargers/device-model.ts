// Pure: OCPP 2.0.1 NotifyReport reportData ↔ the rows of a station's device model. No I/O.
import type { ReportDataType } from '../ocpp/v201/types.ts';

/** One variable of one component, as stored and as the admin API shows it. */
export interface DeviceModelVariable {
  component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string; instance?: string };
  /** OCPP 2.0.1 §2.49 VariableAttributeType: Actual, Target, MinSet, MaxSet with value and mutability. */
  attributes: ReportDataType['variableAttribute'][number][];
  characteristics?: ReportDataType['variableCharacteristics'];
}

/** The report entries without customData (vendor extensions are not kept). */
export function deviceModelOf(reportData: ReportDataType[]): DeviceModelVariable[] {
  return reportData.map((r) => ({
    component: { name: r.component.name, ...(r.component.instance ? { instance: r.component.instance } : {}), ...(r.component.evse ? { evse: { id: r.component.evse.id, ...(r.component.evse.connectorId !== undefined ? { connectorId: r.component.evse.connectorId } : {}) } } : {}) },
    variable: { name: r.variable.name, ...(r.variable.instance ? { instance: r.variable.instance } : {}) },
    attributes: r.variableAttribute.map(({ customData: _c, ...a }) => a),
    ...(r.variableCharacteristics ? { characteristics: (({ customData: _c, ...c }) => c)(r.variableCharacteristics) } : {}),
  }));
}
