import { expect } from 'chai';
import { createOcppValidator } from '../../../src/ocpp/validate.ts';

describe('unit ocpp/validate (official OCPP 1.6 schemas)', () => {
  const v = createOcppValidator('ocpp1.6');
  const codeOf = (action: string, kind: 'req' | 'conf', payload: unknown): string | undefined => {
    try {
      v.check(action, kind, payload);
      return undefined;
    } catch (err) {
      return (err as { rpcCode: string }).rpcCode;
    }
  };

  it('should know every charger-initiated and central-system action of OCPP 1.6', () => {
    for (const a of ['Authorize', 'BootNotification', 'DataTransfer', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'StartTransaction', 'StatusNotification', 'StopTransaction', 'RemoteStartTransaction', 'GetCompositeSchedule', 'SendLocalList']) {
      expect(v.actions.has(a), a).to.equal(true);
    }
  });

  const cases: Array<[string, string, 'req' | 'conf', unknown, string | undefined]> = [
    ['a valid BootNotification', 'BootNotification', 'req', { chargePointVendor: 'V', chargePointModel: 'M' }, undefined],
    ['a wrong type', 'Authorize', 'req', { idTag: 5 }, 'TypeConstraintViolation'],
    ['a missing field', 'Authorize', 'req', {}, 'OccurenceConstraintViolation'],
    ['an extra field', 'Authorize', 'req', { idTag: 'A', x: 1 }, 'FormationViolation'],
    ['an enum violation', 'Reset', 'req', { type: 'Warm' }, 'PropertyConstraintViolation'],
    ['a too long idTag', 'Authorize', 'req', { idTag: 'A'.repeat(21) }, 'PropertyConstraintViolation'],
    ['a bad date-time', 'StartTransaction', 'req', { connectorId: 1, idTag: 'A', meterStart: 0, timestamp: 'yesterday' }, 'PropertyConstraintViolation'],
    ['a string where a number is expected (no coercion)', 'StartTransaction', 'req', { connectorId: '1', idTag: 'A', meterStart: 0, timestamp: '2026-01-01T00:00:00Z' }, 'TypeConstraintViolation'],
    ['an invalid response', 'Heartbeat', 'conf', {}, 'OccurenceConstraintViolation'],
    ['an unknown action', 'Dance', 'req', {}, 'NotImplemented'],
  ];
  for (const [name, action, kind, payload, code] of cases) {
    it(`OCPP-J 1.6 §4.2.3: should answer ${code ?? 'nothing'} for ${name}`, () => {
      expect(codeOf(action, kind, payload)).to.equal(code);
    });
  }

  it('should name the offending field in the message', () => {
    try {
      v.check('StatusNotification', 'req', { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' });
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as Error).message).to.match(/^status: .*Available/);
    }
  });
});
