// The rows of a bulk charger import (issue 8), checked before anything is stored: one error per bad row.
import { expect } from 'chai';
import { readChargerRows } from '../../../src/chargers/charger-import.ts';

const errorsOf = (rows: unknown[]) => Object.fromEntries(readChargerRows(rows, 10).errors);

describe('unit chargers charger-import', () => {
  it('should read a full row: password, location, EVSE and connectors with their data', () => {
    const { rows, errors } = readChargerRows([{ id: 'CP1', password: 'password-1', locationId: 'LOC1', evseUid: 'E1', connectors: [{ connectorId: 2, evseUid: 'E1', powerType: 'DC', maxElectricPower: null }] }], 10);

    expect(errors.size).to.equal(0);
    expect(rows[0]).to.deep.equal({ id: 'CP1', password: 'password-1', locationId: 'LOC1', evseUid: 'E1', connectors: [{ connectorId: 2, evseUid: 'E1', spec: { powerType: 'DC', maxElectricPower: null } }] });
  });

  it('should treat an empty password as none given (generated)', () => {
    expect(readChargerRows([{ id: 'CP1', password: '' }], 10).rows[0]).to.deep.equal({ id: 'CP1', password: undefined, locationId: undefined, evseUid: undefined, connectors: [] });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['a row that is no object', 'CP1', /^row: must be a JSON object$/],
    ['an unknown field', { id: 'CP1', colour: 'red' }, /^colour: unknown field/],
    ['an EVSE without a location', { id: 'CP1', evseUid: 'E1' }, /^evseUid: needs a locationId$/],
    ['a connector EVSE without a location', { id: 'CP1', connectors: [{ connectorId: 1, evseUid: 'E1' }] }, /^connectors: an evseUid needs/],
    ['a connector id above ocpp.maxConnectorId', { id: 'CP1', connectors: [{ connectorId: 11 }] }, /^connectorId: must be an integer from 1 to 10$/],
    ['a connector given twice', { id: 'CP1', connectors: [{ connectorId: 1 }, { connectorId: 1 }] }, /^connectors: connectorId 1 is given twice$/],
    ['an EVSE uid of 37 characters', { id: 'CP1', locationId: 'L', evseUid: 'E'.repeat(37) }, /^evseUid: must be 1-36 printable ASCII/],
  ];
  for (const [what, row, message] of bad) {
    it(`should refuse ${what}`, () => {
      expect(errorsOf([row])[0]).to.match(message);
    });
  }

  it('OCPI 2.2.1 locations §8.3.2: should refuse a second row naming an EVSE another row has, but not one row naming it twice', () => {
    const errors = errorsOf([
      { id: 'CP1', locationId: 'L', evseUid: 'E1', connectors: [{ connectorId: 2, evseUid: 'E1' }] },
      { id: 'CP2', locationId: 'L', evseUid: 'E2' },
      { id: 'CP3', locationId: 'L', evseUid: 'E3', connectors: [{ connectorId: 2, evseUid: 'E1' }] },
    ]);

    expect(errors).to.deep.equal({ 2: "evseUid: EVSE E1 is named by row 0 too (an EVSE holds one charger's connectors)" });
  });

  it('should keep the id of a bad row for its result, and refuse a body that is no array of 1 to 10,000 rows', () => {
    expect(readChargerRows([{ id: 'CP1', password: 'short' }], 10).ids).to.deep.equal(['CP1']);
    expect(() => readChargerRows({}, 10)).to.throw(/^body: must be a JSON array of rows$/);
    expect(() => readChargerRows([], 10)).to.throw(/^body: must hold 1 to 10000 rows \(got 0\)$/);
    expect(() => readChargerRows(new Array(10_001).fill({ id: 'CP' }), 10)).to.throw(/got 10001/);
  });
});
