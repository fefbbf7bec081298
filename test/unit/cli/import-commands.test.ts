// The CSV columns of `cpms charger import` / `cpms token import` mapped to the rows the bulk import takes.
import { expect } from 'chai';
import { parseCsvTable } from '../../../src/shared/csv.ts';
import { chargerConnectorColumn, rowsOfTable, toChargerRow } from '../../../src/cli/import-commands.ts';

const CHARGER_COLUMNS = { id: 'id', password: 'password', location: 'locationId', evse: 'evseUid', connectors: 'connectors', standard: 'standard', powertype: 'powerType', maxvoltage: 'maxVoltage', maxpower: 'maxElectricPower' };

describe('unit cli import-commands', () => {
  it('should name columns case- and separator-insensitively and leave empty cells out', () => {
    const table = parseCsvTable('ID,Password,Power_Type,max-voltage\nCP1,,DC,920\n');

    expect(rowsOfTable(table, CHARGER_COLUMNS)).to.deep.equal([{ id: 'CP1', powerType: 'DC', maxVoltage: '920' }]);
  });

  it('should refuse an unknown column, listing the known ones', () => {
    expect(() => rowsOfTable(parseCsvTable('id,colour\nCP1,red\n'), CHARGER_COLUMNS)).to.throw(/^column colour: unknown \(columns: id, password, locationId/);
  });

  it('should give connectors 1..n the connector data of the row, with whole numbers as numbers', () => {
    const row = toChargerRow({ id: 'CP1', locationId: 'LOC1', evseUid: 'E1', connectors: '2', standard: 'IEC_62196_T2_COMBO', maxVoltage: '920', maxElectricPower: '50000' });

    expect(row).to.deep.equal({
      id: 'CP1', locationId: 'LOC1', evseUid: 'E1',
      connectors: [
        { connectorId: 1, standard: 'IEC_62196_T2_COMBO', maxVoltage: 920, maxElectricPower: 50000 },
        { connectorId: 2, standard: 'IEC_62196_T2_COMBO', maxVoltage: 920, maxElectricPower: 50000 },
      ],
    });
  });

  it('should give connector data without a count to connector 1, and no connectors without data', () => {
    expect(toChargerRow({ id: 'CP1', powerType: 'DC' })).to.deep.equal({ id: 'CP1', connectors: [{ connectorId: 1, powerType: 'DC' }] });
    expect(toChargerRow({ id: 'CP2' })).to.deep.equal({ id: 'CP2' });
  });

  it('should leave a value that is no whole number as written, for the import to refuse naming the field', () => {
    expect(toChargerRow({ id: 'CP1', maxVoltage: '230V' })).to.deep.equal({ id: 'CP1', connectors: [{ connectorId: 1, maxVoltage: '230V' }] });
    expect(() => toChargerRow({ id: 'CP1', connectors: 'two' })).to.throw(/^connectors: must be a whole number/);
  });

  it('OCPI 2.2.1 locations §8.3.3: should give a connector its own data from connector<n>_<field> columns, over the row\'s', () => {
    // Arrange: a DC charger with a CCS cable (connector 1) and a CHAdeMO cable on its own EVSE (connector 2)
    const table = parseCsvTable('id,location,evse,power_type,max_voltage,connector1_standard,Connector2-Standard,connector2_evse,connector2_max_voltage\nCP1,LOC1,E1,DC,920,IEC_62196_T2_COMBO,CHADEMO,E1-CHA,500\n');
    // Act
    const [row] = rowsOfTable(table, CHARGER_COLUMNS, chargerConnectorColumn).map(toChargerRow);
    // Assert
    expect(row).to.deep.equal({
      id: 'CP1', locationId: 'LOC1', evseUid: 'E1',
      connectors: [
        { connectorId: 1, powerType: 'DC', maxVoltage: 920, standard: 'IEC_62196_T2_COMBO' },
        { connectorId: 2, powerType: 'DC', maxVoltage: 500, standard: 'CHADEMO', evseUid: 'E1-CHA' },
      ],
    });
  });
});
