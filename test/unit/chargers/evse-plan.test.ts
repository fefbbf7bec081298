// Which EVSE each connector of a charger is on (OCPI 2.2.1 locations §8.3.2 NOTE: with OCPP 1.x each
// connector is its own EVSE; the operator may put several on one).
import { expect } from 'chai';
import { derivedEvseUid, planAttach, type PlacedConnector } from '../../../src/chargers/evse-plan.ts';

const at = (id: number, uid: string, locationId = 'LOC1') => ({ id, uid, locationId });
const placed = (connectorNumber: number, evse: PlacedConnector['evse'] = null): PlacedConnector => ({ connectorNumber, evse });

describe('unit chargers evse-plan', () => {
  describe('derivedEvseUid', () => {
    it('should append the connector number', () => expect(derivedEvseUid('NL*CPM*E1', 2)).to.equal('NL*CPM*E1-2'));
    it('should cut the base so that the uid fits OCPI CiString(36)', () => {
      const uid = derivedEvseUid('X'.repeat(36), 12);
      expect([uid.length, uid.endsWith('-12'), uid.startsWith('X'.repeat(33))]).to.deep.equal([36, true, true]);
    });
  });

  describe('planAttach', () => {
    const cases: Array<{ name: string; connectors: PlacedConnector[]; previousPrimaryFk?: number | null; expected: Array<[number, string]> }> = [
      { name: 'should put connector 1 on the EVSE named and the others on their own', connectors: [placed(1), placed(2), placed(3)], expected: [[1, 'U'], [2, 'U-2'], [3, 'U-3']] },
      { name: 'should keep a connector on an EVSE of the same location (its uid never changes, the mapping stays)', connectors: [placed(1, at(1, 'OLD')), placed(2, at(2, 'MINE'))], previousPrimaryFk: 1, expected: [[1, 'U'], [2, 'MINE']] },
      { name: 'should move a second cable of connector 1 (on the previous primary EVSE) along with it', connectors: [placed(1, at(1, 'OLD')), placed(2, at(1, 'OLD'))], previousPrimaryFk: 1, expected: [[1, 'U'], [2, 'U']] },
      { name: 'should give connectors at another location new EVSEs', connectors: [placed(1, at(1, 'A', 'LOC0')), placed(2, at(2, 'A-2', 'LOC0'))], previousPrimaryFk: 1, expected: [[1, 'U'], [2, 'U-2']] },
      { name: 'should put a 2.0.1 EVSE\'s second connector on the EVSE of its connector 1', connectors: [placed(1), placed(2), { ...placed(102), evseGroup: 1 }, { ...placed(202), evseGroup: 2 }], expected: [[1, 'U'], [2, 'U-2'], [102, 'U'], [202, 'U-2']] },
      { name: 'should give a second connector whose connector 1 is unseen that connector\'s derived uid', connectors: [placed(1), { ...placed(302), evseGroup: 3 }], expected: [[1, 'U'], [302, 'U-3']] },
      { name: 'should plan nothing for a charger that reported no connector yet', connectors: [], expected: [] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const plan = planAttach(c.connectors, { locationId: 'LOC1', evseUid: 'U', previousPrimaryFk: c.previousPrimaryFk ?? null });
        expect([...plan]).to.deep.equal(c.expected);
      });
    }
  });
});
