import { expect } from 'chai';
import { connectorAt, connectorsOfEvse, evseAddressOf, evseCount } from '../../../src/simulator/model/evse.ts';
import { resolveOptions } from '../../../src/simulator/options.ts';

describe('unit simulator EVSE layout (OCPP 2.0.1 Part 1 §2.2)', () => {
  const two = { connectors: 4, connectorsPerEvse: 2 };

  it('should put model connectors 1..4 on EVSEs 1 and 2 as connectors 1 and 2 each', () => {
    expect([1, 2, 3, 4].map((c) => evseAddressOf(two, c))).to.deep.equal([{ evseId: 1, connectorId: 1 }, { evseId: 1, connectorId: 2 }, { evseId: 2, connectorId: 1 }, { evseId: 2, connectorId: 2 }]);
    expect([evseCount(two), connectorsOfEvse(two, 2), connectorAt(two, 2, 2)]).to.deep.equal([2, [3, 4], 4]);
  });

  it('should make connector i EVSE i\'s connector 1 by default', () => {
    const one = { connectors: 3 };
    expect([evseCount(one), evseAddressOf(one, 3), connectorsOfEvse(one, 2), connectorAt(one, 2, 1)]).to.deep.equal([3, { evseId: 3, connectorId: 1 }, [2], 2]);
  });

  it('should know no connector outside the layout', () => {
    expect([connectorAt(two, 3, 1), connectorAt(two, 1, 3), connectorAt(two, 0, 1), connectorsOfEvse(two, 1.5)]).to.deep.equal([undefined, undefined, undefined, []]);
  });

  it('should refuse a connectorsPerEvse that does not divide connectors', () => {
    expect(() => resolveOptions({ url: 'ws://localhost/ocpp', chargers: 1, connectors: 3, connectorsPerEvse: 2 })).to.throw('connectorsPerEvse: must be a positive integer that divides connectors');
  });
});
