import { expect } from 'chai';
import { Timeout, UpstreamFailed } from '../../../src/shared/errors.ts';
import { commandResultOf, commandResultOfFailure, resolveTarget, type LocationEvse } from '../../../src/commands/ocpp16.mapper.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';

const anEvse = (o: Partial<LocationEvse> = {}): LocationEvse => ({
  uid: 'EVSE-1',
  chargePointId: 'CP1',
  isRemoved: false,
  connectors: [{ ocpiId: '1', chargePointId: 'CP1', connectorNumber: 1 }],
  ...o,
});

describe('commands/ocpp16.mapper', () => {
  describe('commandResultOf', () => {
    const cases = [
      { action: 'RemoteStartTransaction', status: 'Accepted', result: 'ACCEPTED' },
      { action: 'RemoteStartTransaction', status: 'Rejected', result: 'REJECTED' },
      { action: 'RemoteStopTransaction', status: 'Accepted', result: 'ACCEPTED' },
      { action: 'RemoteStopTransaction', status: 'Rejected', result: 'REJECTED' },
      { action: 'ReserveNow', status: 'Accepted', result: 'ACCEPTED' },
      { action: 'ReserveNow', status: 'Occupied', result: 'EVSE_OCCUPIED' },
      { action: 'ReserveNow', status: 'Faulted', result: 'EVSE_INOPERATIVE' },
      { action: 'ReserveNow', status: 'Unavailable', result: 'EVSE_INOPERATIVE' },
      { action: 'ReserveNow', status: 'Rejected', result: 'REJECTED' },
      { action: 'CancelReservation', status: 'Accepted', result: 'ACCEPTED' },
      { action: 'CancelReservation', status: 'Rejected', result: 'UNKNOWN_RESERVATION' },
      { action: 'UnlockConnector', status: 'Unlocked', result: 'ACCEPTED' },
      { action: 'UnlockConnector', status: 'UnlockFailed', result: 'FAILED' },
      { action: 'UnlockConnector', status: 'NotSupported', result: 'NOT_SUPPORTED' },
    ] as const;
    for (const c of cases) {
      it(`OCPI 2.2.1 §13.4.2: should map ${c.action} ${c.status} to ${c.result}`, () => {
        const result = commandResultOf(c.action, c.status as never);
        expect(result.result).to.equal(c.result);
        expect(validateOcpi('CommandResult', result, { strict: true })).to.deep.equal({ ok: true });
      });
    }

    it('should explain a refusal in an English message', () => {
      expect(commandResultOf('ReserveNow', 'Occupied').message).to.deep.equal([{ language: 'en', text: 'charge point answered ReserveNow with Occupied' }]);
    });
  });

  describe('commandResultOfFailure', () => {
    it('OCPI 2.2.1 §13.4.2: should report TIMEOUT when the charger does not answer in time', () => {
      expect(commandResultOfFailure(new Timeout('no answer')).result).to.equal('TIMEOUT');
    });

    it('should report NOT_SUPPORTED for a CALLERROR NotImplemented or NotSupported', () => {
      expect(commandResultOfFailure(Object.assign(new Error('x'), { rpcCode: 'NotImplemented' })).result).to.equal('NOT_SUPPORTED');
      expect(commandResultOfFailure(Object.assign(new Error('x'), { rpcCode: 'NotSupported' })).result).to.equal('NOT_SUPPORTED');
    });

    it('should report FAILED for any other failure', () => {
      expect(commandResultOfFailure(Object.assign(new Error('x'), { rpcCode: 'InternalError' })).result).to.equal('FAILED');
      expect(commandResultOfFailure(new UpstreamFailed('socket closed')).result).to.equal('FAILED');
      expect(validateOcpi('CommandResult', commandResultOfFailure('odd'), { strict: true })).to.deep.equal({ ok: true });
    });
  });

  describe('resolveTarget', () => {
    it('should map an EVSE and connector to the charger and its OCPP connectorId', () => {
      const evses = [anEvse({ connectors: [{ ocpiId: 'A', chargePointId: 'CP1', connectorNumber: 2 }] })];
      expect(resolveTarget({ evses, evseUid: 'EVSE-1', connectorId: 'A' })).to.deep.equal({ ok: true, chargePointId: 'CP1', connectorNumber: 2 });
    });

    it('should use the only connector of an EVSE when connector_id is absent', () => {
      expect(resolveTarget({ evses: [anEvse()], evseUid: 'EVSE-1' })).to.deep.equal({ ok: true, chargePointId: 'CP1', connectorNumber: 1 });
    });

    it('should leave the connector to a charger that serves only this EVSE', () => {
      const connectors = [1, 2].map((n) => ({ ocpiId: String(n), chargePointId: 'CP1', connectorNumber: n }));
      expect(resolveTarget({ evses: [anEvse({ connectors })], evseUid: 'EVSE-1' })).to.deep.equal({ ok: true, chargePointId: 'CP1', connectorNumber: undefined });
    });

    it('should require connector_id when the EVSE shares its charger and has several connectors', () => {
      const connectors = [1, 2].map((n) => ({ ocpiId: String(n), chargePointId: 'CP1', connectorNumber: n }));
      const evses = [anEvse({ connectors }), anEvse({ uid: 'EVSE-2', connectors: [] })];
      expect(resolveTarget({ evses, evseUid: 'EVSE-1' }).ok).to.equal(false);
    });

    it('OCPP201 F01: should name a 2.0.1 EVSE with several connectors (1 and 102) by its lowest connector when connector_id is absent', () => {
      const connectors = [102, 1].map((n) => ({ ocpiId: String(n), chargePointId: 'CP1', connectorNumber: n }));
      const evses = [anEvse({ connectors }), anEvse({ uid: 'EVSE-2', connectors: [] })];
      expect(resolveTarget({ evses, evseUid: 'EVSE-1' })).to.deep.equal({ ok: true, chargePointId: 'CP1', connectorNumber: 1 });
    });

    it('should pick the single charger of a location when evse_uid is absent', () => {
      const evses = [anEvse(), anEvse({ uid: 'EVSE-2' })];
      expect(resolveTarget({ evses })).to.deep.equal({ ok: true, chargePointId: 'CP1', connectorNumber: undefined });
    });

    it('should refuse a location with several chargers when evse_uid is absent', () => {
      const evses = [anEvse(), anEvse({ uid: 'EVSE-2', chargePointId: 'CP2' })];
      expect(resolveTarget({ evses })).to.deep.equal({ ok: false, reason: 'evse_uid required: location has several charge points' });
    });

    const refusals = [
      { name: 'an unknown EVSE', req: { evses: [anEvse()], evseUid: 'NOPE' }, reason: 'unknown evse_uid NOPE' },
      { name: 'a removed EVSE', req: { evses: [anEvse({ isRemoved: true })], evseUid: 'EVSE-1' }, reason: 'unknown evse_uid EVSE-1' },
      { name: 'an EVSE without charger', req: { evses: [anEvse({ chargePointId: null })], evseUid: 'EVSE-1' }, reason: 'EVSE EVSE-1 is not linked to a charge point' },
      { name: 'an unknown connector', req: { evses: [anEvse()], evseUid: 'EVSE-1', connectorId: '9' }, reason: 'unknown connector_id 9 on EVSE EVSE-1' },
      { name: 'a location without chargers', req: { evses: [] }, reason: 'location has no charge point' },
    ];
    for (const c of refusals) {
      it(`should refuse ${c.name}`, () => {
        expect(resolveTarget(c.req)).to.deep.equal({ ok: false, reason: c.reason });
      });
    }
  });
});
