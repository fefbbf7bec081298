// OCPP 1.6 security whitepaper (edition 3) messages: their schemas ship in ocpp-rpc's 1.6 bundle, and the
// 1.6 validator checks each one in both directions (a charger's request and our answer, our request and
// the charger's answer).
import { expect } from 'chai';
import { createOcppValidator } from '../../../src/ocpp/validate.ts';

const AT = '2026-12-05T10:00:00Z';
const HASH = { hashAlgorithm: 'SHA256', issuerNameHash: 'a1', issuerKeyHash: 'b2', serialNumber: '01' };

// [action, a valid .req, a valid .conf, an invalid .req, an invalid .conf]
const MESSAGES: Array<[string, unknown, unknown, unknown, unknown]> = [
  ['SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: AT, techInfo: 'lid' }, {}, { type: 'X' }, { extra: 1 }],
  ['SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----' }, { status: 'Accepted' }, {}, { status: 'Maybe' }],
  ['CertificateSigned', { certificateChain: '-----BEGIN CERTIFICATE-----' }, { status: 'Accepted' }, { certificateChain: 5 }, { status: 'Maybe' }],
  ['InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: 'pem' }, { status: 'Accepted' }, { certificateType: 'Other', certificate: 'pem' }, {}],
  ['DeleteCertificate', { certificateHashData: HASH }, { status: 'NotFound' }, { certificateHashData: { ...HASH, hashAlgorithm: 'MD5' } }, { status: 'Gone' }],
  ['GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' }, { status: 'Accepted', certificateHashData: [HASH] }, {}, { status: 'Accepted', certificateHashData: [{}] }],
  ['SignedUpdateFirmware', { requestId: 1, firmware: { location: 'https://fw.example/1.bin', retrieveDateTime: AT, signingCertificate: 'pem', signature: 'c2ln' } }, { status: 'Accepted' }, { requestId: 1, firmware: { location: 'x' } }, { status: 'Done' }],
  ['SignedFirmwareStatusNotification', { status: 'InvalidSignature', requestId: 1 }, {}, { status: 'Broken' }, { x: 1 }],
  ['GetLog', { logType: 'SecurityLog', requestId: 2, log: { remoteLocation: 'ftp://logs.example/' } }, { status: 'Accepted', filename: 'log.tgz' }, { logType: 'AuditLog', requestId: 2, log: { remoteLocation: 'x' } }, {}],
  ['LogStatusNotification', { status: 'Uploaded', requestId: 2 }, {}, { status: 'Lost' }, { x: 1 }],
  ['ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }, { status: 'Accepted' }, { requestedMessage: 'Coffee' }, { status: 'Sure' }],
];

describe('unit ocpp/validate: OCPP 1.6 security extension messages', () => {
  const v = createOcppValidator('ocpp1.6');
  const isValid = (action: string, kind: 'req' | 'conf', payload: unknown): boolean => {
    try {
      v.check(action, kind, payload);
      return true;
    } catch {
      return false;
    }
  };

  for (const [action, req, conf, badReq, badConf] of MESSAGES) {
    it(`OCPP 1.6 security whitepaper ${action}: should accept a valid .req and .conf and refuse an invalid one of each`, () => {
      expect([isValid(action, 'req', req), isValid(action, 'conf', conf), isValid(action, 'req', badReq), isValid(action, 'conf', badConf)]).to.deep.equal([true, true, false, false]);
    });
  }
});
