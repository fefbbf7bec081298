// OCPP 1.6 security whitepaper §3 "Installation of the Charge Point certificate" (use case A02): the charger
// sends a CSR with SignCertificate; cpms's own operator CA (generated on first use, its key encrypted at
// rest) signs it and sends the chain with CertificateSigned. A CSR that does not name the charger is refused.
import { X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, type ChargerClient } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aCsr } from '../../fixtures/certificates.ts';

describe('e2e OCPP SignCertificate and CertificateSigned (operator CA)', () => {
  const t = useTestApp({ overrides: { 'tls.caKeySecret': 'test-only-ca-key-secret', 'ocpp.callTimeoutSec': 5 } });

  /** A booted charger that collects the CertificateSigned calls it receives (answering Accepted). */
  async function aBootedCharger(): Promise<{ id: string; client: ChargerClient; signed: Promise<string> }> {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await client.call('BootNotification', aBootNotification());
    const signed = new Promise<string>((resolve) => {
      client.handle('CertificateSigned', async ({ params }) => {
        resolve((params as { certificateChain: string }).certificateChain);
        return { status: 'Accepted' };
      });
    });
    return { id, client, signed };
  }

  it('should accept a CSR naming the charger and send CertificateSigned with a certificate for it issued by the operator CA', async () => {
    const { id, client, signed } = await aBootedCharger();

    const answer = await client.call('SignCertificate', { csr: await aCsr(id) });
    const chain = await signed;
    await client.close();
    const [leafPem, caPem] = chain.split(/(?<=-----END CERTIFICATE-----\r?\n)/);
    const leaf = new X509Certificate(leafPem);
    const ca = new X509Certificate(caPem);
    const listed = await t.api('GET', `/api/v1/certificates?chargePointId=${id}`);
    const stored = await t.db('operator_ca').first();

    expect(answer).to.deep.equal({ status: 'Accepted' });
    expect(leaf.subject).to.include(`CN=${id}`);
    expect(leaf.verify(ca.publicKey)).to.equal(true);
    expect(leaf.checkIssued(ca)).to.equal(true);
    expect(listed.body.data.map((c: any) => [c.serialNumber.toUpperCase(), new Date(c.notAfter).getTime()])).to.deep.equal([[leaf.serialNumber.toUpperCase(), new Date(leaf.validTo).getTime()]]);
    // The CA key is stored encrypted, never as PEM.
    expect(stored.key_encrypted).to.match(/^v1\$/).and.not.include('PRIVATE KEY');
  });

  it('should refuse a CSR whose subject CN is another charger (Rejected) and issue nothing', async () => {
    const { id, client } = await aBootedCharger();
    const other = await aRegisteredCharger(t.app.services);

    const answer = await client.call('SignCertificate', { csr: await aCsr(other) });
    await client.close();
    const listed = await t.api('GET', `/api/v1/certificates?chargePointId=${id}`);

    expect(answer).to.deep.equal({ status: 'Rejected' });
    expect(listed.body.data).to.deep.equal([]);
  });

  it('should refuse a CSR that cannot be read (Rejected)', async () => {
    const { client } = await aBootedCharger();

    const answer = await client.call('SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n-----END CERTIFICATE REQUEST-----' });
    await client.close();

    expect(answer).to.deep.equal({ status: 'Rejected' });
  });

  it('should refuse a bad expiringBefore with 400', async () => {
    const res = await t.api('GET', '/api/v1/certificates?expiringBefore=soon');

    expect([res.status, res.body.error.message]).to.deep.equal([400, 'expiringBefore: not a valid date-time']);
  });

  it('OCPP 1.6 security §3: should ask a charger whose newest certificate ends within renewBeforeDays for a new CSR (ExtendedTriggerMessage SignChargePointCertificate), and not one with a fresh certificate', async () => {
    const { id, client } = await aBootedCharger();
    const { id: freshId, client: fresh } = await aBootedCharger();
    const triggers: Array<[string, unknown]> = [];
    for (const [cpId, c] of [[id, client], [freshId, fresh]] as const) {
      c.handle('ExtendedTriggerMessage', async ({ params }) => {
        triggers.push([cpId, params]);
        return { status: 'Accepted' };
      });
    }
    const day = 86_400_000;
    const aCert = (chargePointId: string, notAfter: Date) => ({ charge_point_id: chargePointId, serial_number: Math.random().toString(16).slice(2), subject: `CN=${chargePointId}`, not_before: new Date(), not_after: notAfter, certificate_pem: 'pem', issued_at: new Date() });
    await t.db('issued_certificates').insert([aCert(id, new Date(Date.now() + 5 * day)), aCert(freshId, new Date(Date.now() + 5 * day)), aCert(freshId, new Date(Date.now() + 300 * day))]);

    const outcome = await t.app.services.certificates.renewExpiring(30);
    await client.close();
    await fresh.close();

    expect(triggers).to.deep.equal([[id, { requestedMessage: 'SignChargePointCertificate' }]]);
    expect(outcome.triggered).to.equal(1);
  });
});
