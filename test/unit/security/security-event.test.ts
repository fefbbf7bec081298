import { expect } from 'chai';
import { isCriticalSecurityEvent, securityEventAlert } from '../../../src/security/security-event.ts';

describe('unit security/security-event', () => {
  const cases: Array<[string, boolean]> = [
    ['TamperDetectionActivated', true], ['FirmwareUpdated', true], ['SettingSystemTime', true], ['StartupOfTheDevice', true],
    ['ResetOrReboot', true], ['SecurityLogWasCleared', true], ['MemoryExhaustion', true],
    ['InvalidMessages', false], ['FailedToAuthenticateAtCentralSystem', false], ['InvalidFirmwareSignature', false], ['VendorSpecificThing', false],
  ];
  for (const [type, critical] of cases) {
    it(`OCPP 1.6 security Appendix 1: should treat ${type} as ${critical ? 'critical' : 'not critical'}`, () => {
      expect(isCriticalSecurityEvent(type)).to.equal(critical);
    });
  }

  it('should raise one SECURITY_EVENT alert per event, critical for a critical event and warning otherwise', () => {
    const critical = securityEventAlert({ id: 7, chargePointId: 'CP1', type: 'TamperDetectionActivated', techInfo: 'lid open', isCritical: true });
    const other = securityEventAlert({ id: 8, chargePointId: 'CP1', type: 'InvalidMessages', techInfo: null, isCritical: false });

    expect(critical).to.deep.equal({ kind: 'SECURITY_EVENT', severity: 'critical', subject: 'security-event:7', chargePointId: 'CP1', message: 'security event TamperDetectionActivated (lid open)' });
    expect([other.severity, other.subject, other.message]).to.deep.equal(['warning', 'security-event:8', 'security event InvalidMessages']);
  });
});
