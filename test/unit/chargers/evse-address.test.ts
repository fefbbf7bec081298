import { expect } from 'chai';
import { connectorNumberOf, evseAddressOf, evseConnectorOneOf, isSharedEvseConnector, sharedConnectorRange } from '../../../src/chargers/evse-address.ts';

describe('unit OCPP 2.0.1 EVSE addresses', () => {
  it('OCPP201 G01: should number EVSE n connector 1 as connector n and EVSE 0 as the station', () => {
    expect([connectorNumberOf(0, 0), connectorNumberOf(1, 1), connectorNumberOf(3, 1), connectorNumberOf(3)]).to.deep.equal([0, 1, 3, 3]);
  });

  it('OCPP201 §2.2: should number EVSE n connector k >= 2 as connector 100n + k', () => {
    expect([connectorNumberOf(1, 2), connectorNumberOf(2, 3), connectorNumberOf(99, 99)]).to.deep.equal([102, 203, 9999]);
  });

  it('should leave ids no cpms connector can stand for unmapped', () => {
    const unmapped = [connectorNumberOf(100, 1), connectorNumberOf(1, 100), connectorNumberOf(1, 0), connectorNumberOf(100, 2), connectorNumberOf(1, -2), connectorNumberOf(1, 2.5)];

    expect(unmapped).to.deep.equal([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('should read a cpms connector number back as the (evseId, connectorId) it was made from', () => {
    const addresses = [[0, 0], [1, 1], [7, 1], [1, 2], [2, 3], [99, 99]];

    for (const [evseId, connectorId] of addresses) expect(evseAddressOf(connectorNumberOf(evseId, connectorId)!)).to.deep.equal({ evseId, connectorId });
  });

  it('should tell shared-EVSE connectors from connector-1 numbers', () => {
    expect([1, 32, 99, 100, 101, 102, 199, 200, 201, 203].map(isSharedEvseConnector)).to.deep.equal([false, false, false, false, false, true, true, false, false, true]);
    expect([1, 5, 102, 203].map(evseConnectorOneOf)).to.deep.equal([1, 5, 1, 2]);
  });

  it('should give the range of the shared connectors of an EVSE', () => {
    expect([sharedConnectorRange(1), sharedConnectorRange(12), sharedConnectorRange(0), sharedConnectorRange(100)]).to.deep.equal([[102, 199], [1202, 1299], [1, 0], [1, 0]]);
  });
});
