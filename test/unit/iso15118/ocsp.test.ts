import { expect } from 'chai';
import { buildOcspRequest, readOcspResponse } from '../../../src/iso15118/ocsp.ts';
import { anOcspError, anOcspResponse, readCertId } from '../../fixtures/ocsp.ts';

const CERT = { hashAlgorithm: 'SHA256', issuerNameHash: 'aa'.repeat(32), issuerKeyHash: 'bb'.repeat(32), serialNumber: '1a2b3c' };

describe('iso15118/ocsp', () => {
  describe('buildOcspRequest', () => {
    it('RFC 6960 §4.1.1: should carry the CertID fields the station sent', () => {
      expect(readCertId(buildOcspRequest(CERT))).to.deep.equal({ hashOid: '2.16.840.1.101.3.4.2.1', issuerNameHash: 'aa'.repeat(32), issuerKeyHash: 'bb'.repeat(32), serialNumber: '1a2b3c' });
    });

    const serials = [
      { name: 'should prefix 00 to a serial whose top bit is set (a positive INTEGER)', given: 'ff01', der: '00ff01' },
      { name: 'should drop redundant leading zero bytes', given: '00007f', der: '7f' },
      { name: 'should pad an odd number of hex digits', given: 'abc', der: '0abc' },
    ];
    for (const c of serials) it(c.name, () => expect(readCertId(buildOcspRequest({ ...CERT, serialNumber: c.given })).serialNumber).to.equal(c.der));

    it('should map SHA384 and SHA512 to their OIDs', () => {
      const oids = ['SHA384', 'SHA512'].map((hashAlgorithm) => readCertId(buildOcspRequest({ ...CERT, hashAlgorithm })).hashOid);
      expect(oids).to.deep.equal(['2.16.840.1.101.3.4.2.2', '2.16.840.1.101.3.4.2.3']);
    });

    it('should refuse hashes that are not hex', () => {
      expect(() => buildOcspRequest({ ...CERT, issuerKeyHash: 'xyz' })).to.throw('issuerKeyHash');
    });
  });

  describe('readOcspResponse', () => {
    it('should read the earliest nextUpdate of the single responses', () => {
      const early = new Date('2026-12-08T10:00:00Z');
      expect(readOcspResponse(anOcspResponse({ nextUpdates: [new Date('2026-12-09T00:00:00Z'), early] }))).to.deep.equal({ responseStatus: 'successful', nextUpdate: early });
    });

    it('should give no nextUpdate when a single response has none', () => {
      expect(readOcspResponse(anOcspResponse({ nextUpdates: [new Date('2026-12-09T00:00:00Z'), undefined] }))).to.deep.equal({ responseStatus: 'successful' });
    });

    it('should name an error status', () => {
      expect([3, 6].map((s) => readOcspResponse(anOcspError(s)).responseStatus)).to.deep.equal(['tryLater', 'unauthorized']);
    });

    it('should refuse bytes that are no OCSPResponse', () => {
      expect(() => readOcspResponse(Buffer.from('<html>oops</html>'))).to.throw('not a DER OCSPResponse');
    });
  });
});
