// OCPI 2.2.1 hubclientinfo RECEIVER (§15.3.1): a hub pushes the connection status of the parties
// behind it (PUT) and reads back what cpms stored (GET). No routing headers on this module (§4.1.8).
import { expect } from 'chai';
import { validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { insertPartner } from '../../../src/partners/partner.repo.ts';
import { hashSecret, newSecret } from '../../../src/shared/ids.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aRegisteredPartner, tokenHeader } from '../../fixtures/partners.ts';

describe('e2e ocpi hubclientinfo receiver', () => {
  const t = useTestApp();
  let hubToken: string;

  before(async () => {
    hubToken = newSecret();
    await insertPartner(t.db, {
      countryCode: 'NL', partyId: 'HBX', role: 'HUB', status: 'REGISTERED', version: '2.2.1', endpoints: [],
      roles: [{ role: 'HUB', country_code: 'NL', party_id: 'HBX', business_details: { name: 'Hub' } }], tokenHash: hashSecret(hubToken), tokenRemote: newSecret(), registeredAt: new Date(),
    });
  });

  async function ocpi(method: string, path: string, body?: unknown, token = hubToken, headers: Record<string, string> = {}) {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1/hubclientinfo${path}`, {
      method,
      headers: { authorization: tokenHeader(token), 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const aClientInfo = (o: Record<string, unknown> = {}) => ({ country_code: 'NL', party_id: 'ALL', role: 'EMSP', status: 'PLANNED', last_updated: '2025-03-01T10:00:00Z', ...o });

  it('§15.3.1.2 PUT then §15.3.1.1 GET: should store the ClientInfo and return it as a valid object', async () => {
    const put = await ocpi('PUT', '/NL/ALL', aClientInfo());
    expect(put.status).to.equal(200);
    expect(put.body.status_code).to.equal(1000);

    const got = await ocpi('GET', '/NL/ALL');
    expect(validateOcpiEnvelope(got.body, 'ClientInfo', { strict: true })).to.deep.equal({ ok: true });
    expect(got.body.data).to.deep.equal(aClientInfo());
  });

  it('§15.2.1: should replace the status on a later PUT (e.g. CONNECTED, then SUSPENDED)', async () => {
    await ocpi('PUT', '/DE/ABC', aClientInfo({ country_code: 'DE', party_id: 'ABC', status: 'CONNECTED' }));
    await ocpi('PUT', '/DE/ABC', aClientInfo({ country_code: 'DE', party_id: 'ABC', status: 'SUSPENDED', last_updated: '2025-03-02T10:00:00Z' }));
    const got = await ocpi('GET', '/DE/ABC');
    expect(got.body.data).to.deep.include({ status: 'SUSPENDED', last_updated: '2025-03-02T10:00:00Z' });
    expect(await t.db('hub_client_info').where({ country_code: 'DE', party_id: 'ABC' })).to.have.length(1);
  });

  it('should keep the newer ClientInfo when an older PUT arrives late (last_updated earlier than stored)', async () => {
    await ocpi('PUT', '/DE/LTE', aClientInfo({ country_code: 'DE', party_id: 'LTE', status: 'CONNECTED', last_updated: '2025-03-02T10:00:00Z' }));

    const late = await ocpi('PUT', '/DE/LTE', aClientInfo({ country_code: 'DE', party_id: 'LTE', status: 'OFFLINE', last_updated: '2025-03-01T10:00:00Z' }));

    expect(late.body.status_code).to.equal(1000);
    const got = await ocpi('GET', '/DE/LTE');
    expect(got.body.data).to.deep.include({ status: 'CONNECTED', last_updated: '2025-03-02T10:00:00Z' });
  });

  it('types §16.2: should compare last_updated on every fractional digit and give it back as sent', async () => {
    await ocpi('PUT', '/DE/FRC', aClientInfo({ country_code: 'DE', party_id: 'FRC', status: 'CONNECTED', last_updated: '2025-03-02T10:00:00.1236Z' }));

    // Older by a tenth of a millisecond: a late OFFLINE must not undo the CONNECTED.
    await ocpi('PUT', '/DE/FRC', aClientInfo({ country_code: 'DE', party_id: 'FRC', status: 'OFFLINE', last_updated: '2025-03-02T10:00:00.1235Z' }));

    const got = await ocpi('GET', '/DE/FRC');
    expect(got.body.data).to.deep.include({ status: 'CONNECTED', last_updated: '2025-03-02T10:00:00.1236Z' });
  });

  it('should not need routing headers, and ignore them when sent', async () => {
    const res = await ocpi('PUT', '/FR/XYZ', aClientInfo({ country_code: 'FR', party_id: 'XYZ' }), hubToken, { 'OCPI-to-country-code': 'XX', 'OCPI-to-party-id': 'NOP' });
    expect(res.body.status_code).to.equal(1000);
  });

  it('should refuse a bad body with 2001 naming the field', async () => {
    const res = await ocpi('PUT', '/NL/BAD', aClientInfo({ party_id: 'BAD', status: 'ASLEEP' }));
    expect(res.status).to.equal(400);
    expect(res.body.status_code).to.equal(2001);
    expect(res.body.status_message).to.match(/^status: /);
  });

  it('should refuse a body for another party than the URL with 2001', async () => {
    const res = await ocpi('PUT', '/NL/ONE', aClientInfo({ party_id: 'TWO' }));
    expect(res.body.status_code).to.equal(2001);
    expect(res.body.status_message).to.contain('party_id');
  });

  it('should answer HTTP 404 for a ClientInfo never pushed', async () => {
    const res = await ocpi('GET', '/NL/NON');
    expect(res.status).to.equal(404);
    expect(res.body.status_code).to.equal(2000);
  });

  it('§15: should refuse ClientInfo from a partner that is not a hub', async () => {
    const { token } = await aRegisteredPartner(t.db);
    const res = await ocpi('PUT', '/NL/ALL', aClientInfo({ status: 'OFFLINE' }), token);
    expect(res.status).to.equal(403);
    expect(res.body.status_code).to.equal(2001);
    expect((await ocpi('GET', '/NL/ALL')).body.data.status).to.equal('PLANNED');
  });

  it('should list hubclientinfo as RECEIVER in the version details', async () => {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1`, { headers: { authorization: tokenHeader(hubToken) } });
    expect(((await res.json()) as any).data.endpoints).to.deep.include({ identifier: 'hubclientinfo', role: 'RECEIVER', url: `${t.httpUrl}/ocpi/2.2.1/hubclientinfo` });
  });
});
