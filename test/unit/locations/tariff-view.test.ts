// One eMSP's view of a Location: its own Connector.tariff_ids replace the general ones where given
// (OCPI 2.2.1 locations §8.3.3: tariff_ids "can be different for different eMSPs").
import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { connectorIdsOf, toOcpiLocation, withTariffView } from '../../../src/locations/ocpi.mapper.ts';
import { aConnectorRecord, aLocationTree, anEvseRecord } from '../../fixtures/ocpi-locations.ts';

describe('locations tariff view per eMSP', () => {
  const tree = aLocationTree({
    evses: [{ evse: anEvseRecord(), connectors: [aConnectorRecord({ id: 1, ocpiId: '1', tariffIds: ['GENERAL'] }), aConnectorRecord({ id: 2, ocpiId: '2', tariffIds: ['GENERAL'] })] }],
  });

  it('§8.3.3: should replace tariff_ids of the connectors the view names and keep the others', () => {
    const location = toOcpiLocation(withTariffView(tree, new Map([[2, ['OWN']]])));
    expect(location.evses!.flatMap((e) => e.connectors.map((c) => c.tariff_ids))).to.deep.equal([['GENERAL'], ['OWN']]);
    expect(validateOcpi('Location', location, { strict: true })).to.deep.equal({ ok: true });
  });

  it('should leave the tree untouched for an empty view and list every connector id', () => {
    expect(withTariffView(tree, new Map())).to.equal(tree);
    expect(connectorIdsOf(tree)).to.deep.equal([1, 2]);
    expect(tree.evses[0]!.connectors[1]!.tariffIds).to.deep.equal(['GENERAL']); // never mutated
  });
});
