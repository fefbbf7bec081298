import { expect } from 'chai';
import { certificateProblem, isBelowRecordedProfile, profileOf } from '../../../src/chargers/security-profile.ts';

describe('unit chargers/security-profile', () => {
  const trusted = { isTrusted: true, error: undefined, commonName: 'CP1' };

  it('OCPP 1.6 security §2.1: should read profile 1 without TLS, 2 with TLS and 3 with a client certificate', () => {
    expect([profileOf({ isTls: false, clientCertificate: undefined }), profileOf({ isTls: true, clientCertificate: undefined }), profileOf({ isTls: true, clientCertificate: trusted })]).to.deep.equal([1, 2, 3]);
  });

  it('should accept a trusted certificate whose CN is the identity, and name the problem otherwise', () => {
    expect(certificateProblem(trusted, 'CP1')).to.equal(undefined);
    expect(certificateProblem(trusted, 'CP2')).to.equal('client certificate subject CN does not match the charge point identity');
    expect(certificateProblem({ isTrusted: false, error: 'CERT_HAS_EXPIRED', commonName: 'CP1' }, 'CP1')).to.equal('client certificate not trusted (CERT_HAS_EXPIRED)');
  });

  it('should refuse only a profile below the recorded one', () => {
    expect([isBelowRecordedProfile(2, 3), isBelowRecordedProfile(3, 3), isBelowRecordedProfile(1, null), isBelowRecordedProfile(3, 2)]).to.deep.equal([true, false, false, false]);
  });
});
