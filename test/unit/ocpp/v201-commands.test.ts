import { expect } from 'chai';
import { assertOcpp16Command, toOcpp201 } from '../../../src/ocpp/v201/commands.ts';
import { Conflict } from '../../../src/shared/errors.ts';

describe('unit OCPP 2.0.1 command adapter', () => {
  const cases: Array<{ name: string; action: string; payload: unknown; call: [string, unknown]; answer: unknown; readAs: unknown }> = [
    { name: 'OCPP201 B12: should send Soft Reset as OnIdle', action: 'Reset', payload: { type: 'Soft' }, call: ['Reset', { type: 'OnIdle' }], answer: { status: 'Rejected' }, readAs: { status: 'Rejected' } },
    { name: 'OCPP201 G03: should send ChangeAvailability of connector 0 for the whole station', action: 'ChangeAvailability', payload: { connectorId: 0, type: 'Operative' }, call: ['ChangeAvailability', { operationalStatus: 'Operative' }], answer: { status: 'Scheduled' }, readAs: { status: 'Accepted' } },
    { name: 'OCPP201 F05: should unlock EVSE n connector 1 and read UnknownConnector as NotSupported', action: 'UnlockConnector', payload: { connectorId: 3 }, call: ['UnlockConnector', { evseId: 3, connectorId: 1 }], answer: { status: 'UnknownConnector' }, readAs: { status: 'NotSupported' } },
    { name: 'OCPP201 D01: should send SendLocalList entries as Central idTokens with idTokenInfo', action: 'SendLocalList', payload: { listVersion: 4, updateType: 'Differential', localAuthorizationList: [{ idTag: 'A1', idTagInfo: { status: 'Blocked', parentIdTag: 'G1' } }, { idTag: 'B2' }] }, call: ['SendLocalList', { versionNumber: 4, updateType: 'Differential', localAuthorizationList: [{ idToken: { idToken: 'A1', type: 'Central' }, idTokenInfo: { status: 'Blocked', groupIdToken: { idToken: 'G1', type: 'Central' } } }, { idToken: { idToken: 'B2', type: 'Central' } }] }], answer: { status: 'VersionMismatch' }, readAs: { status: 'VersionMismatch' } },
    { name: 'OCPP201 H01: should send ReserveNow with Central idToken and group, connector n as EVSE n', action: 'ReserveNow', payload: { connectorId: 2, expiryDate: '2026-12-05T03:00:00.000Z', idTag: 'T1', parentIdTag: 'G1', reservationId: 12 }, call: ['ReserveNow', { id: 12, expiryDateTime: '2026-12-05T03:00:00.000Z', idToken: { idToken: 'T1', type: 'Central' }, evseId: 2, groupIdToken: { idToken: 'G1', type: 'Central' } }], answer: { status: 'Occupied' }, readAs: { status: 'Occupied' } },
    { name: 'OCPP201 H01: should send a ReserveNow of connector 0 without evseId (any EVSE)', action: 'ReserveNow', payload: { connectorId: 0, expiryDate: '2026-12-05T03:00:00.000Z', idTag: 'T1', reservationId: 13 }, call: ['ReserveNow', { id: 13, expiryDateTime: '2026-12-05T03:00:00.000Z', idToken: { idToken: 'T1', type: 'Central' } }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    { name: 'OCPP201 H02: should send CancelReservation as it is', action: 'CancelReservation', payload: { reservationId: 12 }, call: ['CancelReservation', { reservationId: 12 }], answer: { status: 'Rejected' }, readAs: { status: 'Rejected' } },
    { name: 'OCPP201 F06: should trigger MeterValues of connector n as TransactionEvent of EVSE n', action: 'TriggerMessage', payload: { requestedMessage: 'MeterValues', connectorId: 3 }, call: ['TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 3 } }], answer: { status: 'Rejected' }, readAs: { status: 'Rejected' } },
    { name: 'OCPP201 F06: should trigger a station-wide BootNotification without EVSE even with a connectorId', action: 'TriggerMessage', payload: { requestedMessage: 'BootNotification', connectorId: 1 }, call: ['TriggerMessage', { requestedMessage: 'BootNotification' }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    { name: 'OCPP201 F05: should unlock EVSE 1 connector 2 for cpms connector 102', action: 'UnlockConnector', payload: { connectorId: 102 }, call: ['UnlockConnector', { evseId: 1, connectorId: 2 }], answer: { status: 'Unlocked' }, readAs: { status: 'Unlocked' } },
    { name: 'OCPP201 G04: should change the availability of EVSE 1 connector 2 for connector 102, of EVSE n as a whole for connector n', action: 'ChangeAvailability', payload: { connectorId: 102, type: 'Inoperative' }, call: ['ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 2 } }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    { name: 'OCPP201 G03: should change the availability of connector n as EVSE n', action: 'ChangeAvailability', payload: { connectorId: 2, type: 'Inoperative' }, call: ['ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    { name: 'OCPP201 H01: should reserve the EVSE a second connector is on (one connector of an EVSE at a time)', action: 'ReserveNow', payload: { connectorId: 202, expiryDate: '2026-12-05T03:00:00.000Z', idTag: 'T1', reservationId: 14 }, call: ['ReserveNow', { id: 14, expiryDateTime: '2026-12-05T03:00:00.000Z', idToken: { idToken: 'T1', type: 'Central' }, evseId: 2 }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    { name: 'OCPP201 F01: should start remotely on the EVSE connector 102 is on', action: 'RemoteStartTransaction', payload: { connectorId: 102, idTag: 'T1' }, call: ['RequestStartTransaction', { idToken: { idToken: 'T1', type: 'Central' }, remoteStartId: 1, evseId: 1 }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    { name: 'OCPP201 F06: should trigger the StatusNotification of EVSE 1 connector 2 for connector 102', action: 'TriggerMessage', payload: { requestedMessage: 'StatusNotification', connectorId: 102 }, call: ['TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 2 } }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    { name: 'OCPP201 K10: should clear the profiles of the EVSE connector 102 is on', action: 'ClearChargingProfile', payload: { connectorId: 102 }, call: ['ClearChargingProfile', { chargingProfileCriteria: { evseId: 1 } }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
    { name: 'should pass a 2.0.1 action unchanged', action: 'GetBaseReport', payload: { requestId: 1, reportBase: 'FullInventory' }, call: ['GetBaseReport', { requestId: 1, reportBase: 'FullInventory' }], answer: { status: 'Accepted' }, readAs: { status: 'Accepted' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = toOcpp201(c.action, c.payload);

      expect([t.action, t.payload]).to.deep.equal(c.call);
      expect(t.answer(c.answer)).to.deep.equal(c.readAs);
    });
  }

  it('should refuse an untranslated 1.6 command and a 2.0.1 action for a 1.6 charger with Conflict', () => {
    expect(() => toOcpp201('SomethingElse', {})).to.throw(Conflict, /OCPP 2\.0\.1/);
    expect(() => assertOcpp16Command('GetVariables')).to.throw(Conflict);
    expect(() => assertOcpp16Command('Reset')).not.to.throw();
  });
});
