import { expect } from 'chai';
import { connectorSpecOfType, connectorSpecsOfReport } from '../../../src/chargers/ocpp201-connector-type.mapper.ts';
import { CONNECTOR_TYPES } from '../../../src/chargers/connector-spec.ts';
import type { ReportDataType } from '../../../src/ocpp/v201/types.ts';

const aConnectorType = (evse: { id: number; connectorId?: number }, value: string, type?: 'Actual' | 'Target'): ReportDataType => ({
  component: { name: 'Connector', evse },
  variable: { name: 'ConnectorType' },
  variableAttribute: [{ ...(type ? { type } : {}), value }],
});

describe('unit OCPP 2.0.1 ConnectorType → OCPI connector data', () => {
  const cases: Array<[string, object]> = [
    ['cCCS1', { standard: 'IEC_62196_T1_COMBO', format: 'CABLE' }],
    ['cCCS2', { standard: 'IEC_62196_T2_COMBO', format: 'CABLE' }],
    ['cG105', { standard: 'CHADEMO', format: 'CABLE' }],
    ['cTesla', { standard: 'TESLA_S', format: 'CABLE' }],
    ['cType1', { standard: 'IEC_62196_T1', format: 'CABLE' }],
    ['cType2', { standard: 'IEC_62196_T2', format: 'CABLE' }],
    ['s309-1P-16A', { standard: 'IEC_60309_2_single_16', format: 'SOCKET' }],
    ['s309-1P-32A', { format: 'SOCKET' }],
    ['s309-3P-16A', { standard: 'IEC_60309_2_three_16', format: 'SOCKET' }],
    ['s309-3P-32A', { standard: 'IEC_60309_2_three_32', format: 'SOCKET' }],
    ['sBS1361', { standard: 'DOMESTIC_G', format: 'SOCKET' }],
    ['sCEE-7-7', { standard: 'DOMESTIC_F', format: 'SOCKET' }],
    ['sType2', { standard: 'IEC_62196_T2', format: 'SOCKET' }],
    ['sType3', { standard: 'IEC_62196_T3C', format: 'SOCKET' }],
    ['Other1PhMax16A', {}],
    ['Other3Ph', {}],
    ['Pan', {}],
    ['wInductive', {}],
    ['Undetermined', {}],
    ['Unknown', {}],
    ['toString', {}],
    ['cSomethingNew', {}],
  ];
  for (const [value, spec] of cases) {
    it(`OCPP201 ConnectorEnumType: should map ${value} to ${JSON.stringify(spec)}`, () => {
      expect(connectorSpecOfType(value)).to.deep.equal(spec);
    });
  }

  it('should map only to OCPI 2.2.1 ConnectorType values', () => {
    const standards = cases.map(([v]) => (connectorSpecOfType(v) as { standard?: string }).standard).filter((s) => s !== undefined);
    expect(standards.filter((s) => !(CONNECTOR_TYPES as readonly string[]).includes(s!))).to.deep.equal([]);
  });

  it('OCPP201 B07: should read each Connector component\'s Actual ConnectorType onto the cpms connector of its EVSE address', () => {
    const specs = connectorSpecsOfReport([
      aConnectorType({ id: 1, connectorId: 1 }, 'cCCS2'),
      aConnectorType({ id: 1, connectorId: 2 }, 'cG105', 'Actual'),
      aConnectorType({ id: 2, connectorId: 1 }, 'sType2'),
      aConnectorType({ id: 3, connectorId: 1 }, 'cType1', 'Target'),
      aConnectorType({ id: 4, connectorId: 1 }, 'Unknown'),
      aConnectorType({ id: 0, connectorId: 1 }, 'cType2'),
      aConnectorType({ id: 1, connectorId: 100 }, 'cType2'),
      { component: { name: 'EVSE', evse: { id: 5 } }, variable: { name: 'ConnectorType' }, variableAttribute: [{ value: 'cType2' }] },
      { component: { name: 'Connector', evse: { id: 6, connectorId: 1 } }, variable: { name: 'Available' }, variableAttribute: [{ value: 'true' }] },
    ]);

    expect([...specs]).to.deep.equal([
      [1, { standard: 'IEC_62196_T2_COMBO', format: 'CABLE' }],
      [102, { standard: 'CHADEMO', format: 'CABLE' }],
      [2, { standard: 'IEC_62196_T2', format: 'SOCKET' }],
    ]);
  });
});
