// Pure: a 2.0.1 station's own description of its connectors (OCPP 2.0.1 Part 2 appendices, standardized
// component "Connector", variable "ConnectorType", values of ConnectorEnumType) → cpms connector data
// (OCPI 2.2.1 locations §8.4.5 ConnectorType, §8.4.4 ConnectorFormat). No I/O.
import type { ReportDataType } from '../ocpp/v201/types.ts';
import type { ConnectorSpec, ConnectorSpecPatch } from './connector-spec.ts';
import { connectorNumberOf } from './evse-address.ts';

type Standard = ConnectorSpec['standard'];

// OCPP 2.0.1 ConnectorEnumType: "c" = captive cable, "s" = socket. A value OCPI has no type for gives the
// format only (s309-1P-32A); Pan (OCPI tells a pantograph's direction, OCPP does not), the Other*, wireless,
// Undetermined and Unknown values give nothing.
const STANDARDS: Record<string, Standard | undefined> = {
  cCCS1: 'IEC_62196_T1_COMBO',
  cCCS2: 'IEC_62196_T2_COMBO',
  cG105: 'CHADEMO',
  cTesla: 'TESLA_S',
  cType1: 'IEC_62196_T1',
  cType2: 'IEC_62196_T2',
  's309-1P-16A': 'IEC_60309_2_single_16',
  's309-1P-32A': undefined,
  's309-3P-16A': 'IEC_60309_2_three_16',
  's309-3P-32A': 'IEC_60309_2_three_32',
  // BS 1361 in OCPP's list is the UK 13 A domestic socket (BS 1363, IEC type G).
  sBS1361: 'DOMESTIC_G',
  // CEE 7/7 plugs fit type E and F sockets; the socket a station reports as CEE 7/7 is the Schuko type F.
  'sCEE-7-7': 'DOMESTIC_F',
  sType2: 'IEC_62196_T2',
  // IEC 62196-2 type 3; OCPI's T3C is the one for cars (T3A is for light vehicles).
  sType3: 'IEC_62196_T3C',
};

/** The connector data an OCPP 2.0.1 ConnectorType value says (empty for a value that says nothing OCPI can hold). */
export function connectorSpecOfType(connectorType: string): ConnectorSpecPatch {
  if (!Object.hasOwn(STANDARDS, connectorType)) return {};
  const standard = STANDARDS[connectorType];
  return { ...(standard ? { standard } : {}), format: connectorType.startsWith('c') ? 'CABLE' : 'SOCKET' };
}

/** OCPP 2.0.1 §2.50: an attribute without a type is the Actual one. */
const actualValueOf = (r: ReportDataType): string | undefined => r.variableAttribute.find((a) => (a.type ?? 'Actual') === 'Actual')?.value;

/**
 * The connector data in a NotifyReport part, per cpms connector number (evse-address.ts): from each
 * Connector component's ConnectorType. Entries whose EVSE address no cpms connector can stand for are left out.
 */
export function connectorSpecsOfReport(reportData: readonly ReportDataType[]): Map<number, ConnectorSpecPatch> {
  const specs = new Map<number, ConnectorSpecPatch>();
  for (const r of reportData) {
    const evse = r.component.evse;
    if (r.component.name !== 'Connector' || r.variable.name !== 'ConnectorType' || !evse) continue;
    const value = actualValueOf(r);
    const connectorNumber = evse.id === 0 ? undefined : connectorNumberOf(evse.id, evse.connectorId);
    if (value === undefined || connectorNumber === undefined) continue;
    const spec = connectorSpecOfType(value);
    if (Object.keys(spec).length > 0) specs.set(connectorNumber, spec);
  }
  return specs;
}
