import { expect } from 'chai';
import { firmwareSignatureAlert } from '../../../src/security/security-event.ts';

describe('unit security/security-event firmwareSignatureAlert', () => {
  for (const status of ['InvalidCertificate', 'RevokedCertificate', 'InvalidSignature', 'InstallVerificationFailed']) {
    it(`OCPP 1.6 security / 2.0.1 L01: should raise a critical FIRMWARE_SIGNATURE alert for ${status}, one per charger and request`, () => {
      expect(firmwareSignatureAlert('CP1', status, 7)).to.deep.equal({ kind: 'FIRMWARE_SIGNATURE', severity: 'critical', subject: 'firmware:CP1:7', chargePointId: 'CP1', message: `signed firmware ${status} (request 7)` });
    });
  }

  it('should raise nothing for progress or ordinary failures', () => {
    expect(['Downloading', 'SignatureVerified', 'Installed', 'DownloadFailed', 'Rejected', 'Accepted'].map((s) => firmwareSignatureAlert('CP1', s, 7))).to.deep.equal(Array(6).fill(undefined));
  });

  it('should name no request when the status carried none', () => {
    expect(firmwareSignatureAlert('CP1', 'InvalidSignature', undefined)?.subject).to.equal('firmware:CP1:-');
  });
});
