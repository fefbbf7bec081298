// OCPP 2.0.1 block M (issue 12): the ISO 15118 certificate messages a station sends for its EVs, answered by
// asking an outside PKI: GetCertificateStatus (M06) an OCSP responder, Get15118EVCertificate (M01/M02) the
// contract certificate pool. Both PKIs are local HTTP servers.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aPkiServer, type PkiServer } from '../../helpers/pki-server.ts';
import { aBootedCharger201 } from '../../fixtures/ocpp201.ts';
import { anOcspError, anOcspResponse, readCertId } from '../../fixtures/ocsp.ts';

const anOcspRequestData = (responderURL: string, serialNumber = '0a1b2c') => ({ hashAlgorithm: 'SHA256', issuerNameHash: '11'.repeat(32), issuerKeyHash: '22'.repeat(32), serialNumber, responderURL });

describe('e2e OCPP 2.0.1 ISO 15118 certificates', () => {
  let pool: PkiServer;
  const overrides: Record<string, unknown> = { 'iso15118.timeoutMs': 300, 'iso15118.contractCertificateAuthorization': 'Bearer pool-secret', 'iso15118.ocspAllowedHosts': ['127.0.0.1', 'LOCALHOST:1'] };
  // Before the app's own hook: the pool's URL is its configuration.
  before(async () => {
    pool = await aPkiServer();
    overrides['iso15118.contractCertificateUrl'] = `${pool.url}/contract-certificates`;
  });
  const t = useTestApp({ overrides });
  after(() => pool.close());

  describe('GetCertificateStatus', () => {
    let responder: PkiServer;
    beforeEach(async () => {
      responder = await aPkiServer();
    });
    afterEach(() => responder.close());

    it('OCPP201 M06: should POST an RFC 6960 request of the certificate to the responder and answer Accepted with its DER response', async () => {
      // Arrange
      const der = anOcspResponse({ nextUpdates: [new Date(Date.now() + 3_600_000)] });
      responder.answers.splice(0, 1, { body: der, contentType: 'application/ocsp-response' });
      const { client } = await aBootedCharger201(t);

      // Act
      const answer = await client.call('GetCertificateStatus', { ocspRequestData: anOcspRequestData(`${responder.url}/ocsp`) });
      await client.close();

      // Assert
      expect(answer).to.deep.equal({ status: 'Accepted', ocspResult: der.toString('base64') });
      const [sent] = responder.received;
      expect([sent!.method, sent!.path, sent!.headers['content-type']]).to.deep.equal(['POST', '/ocsp', 'application/ocsp-request']);
      expect(readCertId(sent!.body)).to.deep.equal({ hashOid: '2.16.840.1.101.3.4.2.1', issuerNameHash: '11'.repeat(32), issuerKeyHash: '22'.repeat(32), serialNumber: '0a1b2c' });
    });

    it('should ask the responder once for the same certificate from two stations, and again for another certificate', async () => {
      responder.answers.splice(0, 1, { body: anOcspResponse() });
      const a = await aBootedCharger201(t);
      const b = await aBootedCharger201(t);
      const data = anOcspRequestData(`${responder.url}/ocsp`, '1234');

      const answers = await Promise.all([a.client.call('GetCertificateStatus', { ocspRequestData: data }), b.client.call('GetCertificateStatus', { ocspRequestData: data })]);
      const later = await b.client.call('GetCertificateStatus', { ocspRequestData: data });
      const other = await a.client.call('GetCertificateStatus', { ocspRequestData: { ...data, serialNumber: '5678' } });
      await Promise.all([a.client.close(), b.client.close()]);

      expect([...answers, later, other].map((x: any) => x.status)).to.deep.equal(['Accepted', 'Accepted', 'Accepted', 'Accepted']);
      expect(responder.received.map((r) => readCertId(r.body).serialNumber)).to.deep.equal(['1234', '5678']);
    });

    it('should not reuse an answer whose nextUpdate has passed', async () => {
      responder.answers.splice(0, 1, { body: anOcspResponse({ nextUpdates: [new Date(Date.now() - 60_000)] }) });
      const { client } = await aBootedCharger201(t);
      const data = anOcspRequestData(`${responder.url}/ocsp`, '5eed');

      await client.call('GetCertificateStatus', { ocspRequestData: data });
      await client.call('GetCertificateStatus', { ocspRequestData: data });
      await client.close();

      expect(responder.received).to.have.length(2);
    });

    const failures = [
      { name: 'an HTTP error', answer: { status: 503, body: 'busy' }, reasonCode: 'OcspUnreachable', info: 'HTTP 503' },
      { name: 'an OCSP error status', answer: { body: anOcspError(3) }, reasonCode: 'OcspError', info: 'tryLater' },
      { name: 'no OCSP response', answer: { body: '<html>proxy</html>' }, reasonCode: 'InvalidOcspResponse', info: 'not a DER OCSPResponse' },
      { name: 'a response over 5500 base64 characters', answer: { body: anOcspResponse({ padBytes: 4200 }) }, reasonCode: 'OcspTooLong', info: 'at most 5500' },
      { name: 'no answer in time', answer: { hang: true }, reasonCode: 'OcspTimeout', info: 'within 300 ms' },
    ];
    for (const c of failures) {
      it(`OCPP201 M06: should answer Failed on ${c.name}, and ask again next time`, async () => {
        responder.answers.splice(0, 1, c.answer);
        const { client } = await aBootedCharger201(t);
        const data = anOcspRequestData(`${responder.url}/ocsp`, 'fa11');

        const answer: any = await client.call('GetCertificateStatus', { ocspRequestData: data });
        await client.call('GetCertificateStatus', { ocspRequestData: data });
        await client.close();

        expect([answer.status, answer.statusInfo.reasonCode, answer.ocspResult]).to.deep.equal(['Failed', c.reasonCode, undefined]);
        expect(answer.statusInfo.additionalInfo).to.contain(c.info);
        expect(responder.received).to.have.length(2);
      });
    }

    it('should answer Failed for an unreachable responder and for one that is no http(s) URL, without a CALLERROR', async () => {
      const { client } = await aBootedCharger201(t);
      const closed = await aPkiServer();
      await closed.close();

      const unreachable: any = await client.call('GetCertificateStatus', { ocspRequestData: anOcspRequestData(`${closed.url}/ocsp`, '01') });
      const notHttp: any = await client.call('GetCertificateStatus', { ocspRequestData: anOcspRequestData('ftp://127.0.0.1/ocsp', '02') });
      await client.close();

      expect([unreachable.status, unreachable.statusInfo.reasonCode, notHttp.status, notHttp.statusInfo.reasonCode]).to.deep.equal(['Failed', 'OcspUnreachable', 'Failed', 'InvalidOcspData']);
    });

    it('should answer Failed (ResponderNotAllowed) without a request for a responder outside iso15118.ocspAllowedHosts', async () => {
      const { client } = await aBootedCharger201(t);
      const port = new URL(responder.url).port;

      const outside: any = await client.call('GetCertificateStatus', { ocspRequestData: anOcspRequestData(`http://localhost:${port}/ocsp`, '03') });
      await client.close();

      expect([outside.status, outside.statusInfo.reasonCode]).to.deep.equal(['Failed', 'ResponderNotAllowed']);
      expect(responder.received).to.deep.equal([]);
    });
  });

  describe('Get15118EVCertificate', () => {
    beforeEach(() => {
      pool.received.length = 0;
    });

    it('OCPP201 M01: should forward the EXI request to the contract certificate pool and relay its answer', async () => {
      // Arrange
      pool.answers.splice(0, pool.answers.length, { contentType: 'application/json', body: JSON.stringify({ status: 'Accepted', exiResponse: 'RVhJLXJlc3BvbnNl' }) });
      const { client } = await aBootedCharger201(t);
      const request = { iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Install', exiRequest: 'RVhJLXJlcXVlc3Q=' };

      // Act
      const answer = await client.call('Get15118EVCertificate', request);
      await client.close();

      // Assert
      expect(answer).to.deep.equal({ status: 'Accepted', exiResponse: 'RVhJLXJlc3BvbnNl' });
      const [sent] = pool.received;
      expect([sent!.path, sent!.headers['content-type'], sent!.headers.authorization]).to.deep.equal(['/contract-certificates', 'application/json', 'Bearer pool-secret']);
      expect(JSON.parse(sent!.body.toString())).to.deep.equal(request);
    });

    it('OCPP201 M02: should relay a Failed answer of the pool with its statusInfo', async () => {
      const failed = { status: 'Failed', exiResponse: '', statusInfo: { reasonCode: 'NoContract', additionalInfo: 'unknown EMAID' } };
      pool.answers.splice(0, pool.answers.length, { contentType: 'application/json', body: JSON.stringify(failed) });
      const { client } = await aBootedCharger201(t);

      const answer = await client.call('Get15118EVCertificate', { iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Update', exiRequest: 'eA==' });
      await client.close();

      expect(answer).to.deep.equal(failed);
    });

    const failures = [
      { name: 'an HTTP error', answer: { status: 500, body: 'down' }, info: 'HTTP 500' },
      { name: 'an answer that is no JSON', answer: { body: 'not json' }, info: 'no JSON' },
      { name: 'an answer without exiResponse', answer: { body: JSON.stringify({ status: 'Accepted' }) }, info: 'no exiResponse' },
      { name: 'an exiResponse over 5600 characters', answer: { body: JSON.stringify({ status: 'Accepted', exiResponse: 'A'.repeat(5601) }) }, info: 'no exiResponse' },
    ];
    for (const c of failures) {
      it(`should answer Failed with an empty exiResponse on ${c.name} of the pool`, async () => {
        pool.answers.splice(0, pool.answers.length, c.answer);
        const { client } = await aBootedCharger201(t);

        const answer: any = await client.call('Get15118EVCertificate', { iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Install', exiRequest: 'eA==' });
        await client.close();

        expect([answer.status, answer.exiResponse, answer.statusInfo.reasonCode]).to.deep.equal(['Failed', '', 'CertificatePoolError']);
        expect(answer.statusInfo.additionalInfo).to.contain(c.info);
      });
    }
  });
});

describe('e2e OCPP 2.0.1 ISO 15118 certificates without a contract certificate pool', () => {
  const t = useTestApp();

  it('OCPP201 M01: should answer Failed (NoCertificatePool) with the empty exiResponse the schema requires', async () => {
    const { client } = await aBootedCharger201(t);

    const answer: any = await client.call('Get15118EVCertificate', { iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action: 'Install', exiRequest: 'eA==' });
    await client.close();

    expect([answer.status, answer.exiResponse, answer.statusInfo.reasonCode]).to.deep.equal(['Failed', '', 'NoCertificatePool']);
  });
});
