// OCPI 2.2.1 tokens RECEIVER (§12.2.1): an eMSP pushes its tokens to cpms (PUT / PATCH) and reads our
// copy back (GET), through the real app on port 0.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { tokenHeader, aRegisteredEmsp, type RegisteredEmsp } from '../../fixtures/partners.ts';
import { insertPartner } from '../../../src/partners/partner.repo.ts';
import { hashSecret, newSecret } from '../../../src/shared/ids.ts';

const example = (file: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ocpi-examples/${file}`, import.meta.url), 'utf8'));

describe('e2e ocpi tokens receiver', () => {
  const t = useTestApp();
  let emsp: RegisteredEmsp;

  before(async () => {
    emsp = await aRegisteredEmsp(t.db);
  });

  async function ocpi(method: string, path: string, body?: unknown, token = emsp.token) {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1/tokens${path}`, {
      method,
      headers: { authorization: tokenHeader(token), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const aToken = (uid: string, o: Record<string, unknown> = {}) => ({
    ...example('token_example_2_full_rfid.json'), country_code: emsp.countryCode, party_id: emsp.partyId, uid, ...o,
  });

  it('§12.2.1.2 PUT: should store a new token, and §12.2.1.1 GET should return it as a valid Token', async () => {
    const put = await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/UID-1`, aToken('UID-1'));
    expect(put.status).to.equal(200);
    expect(put.body.status_code).to.equal(1000);

    const got = await ocpi('GET', `/${emsp.countryCode}/${emsp.partyId}/UID-1?type=RFID`);
    expect(got.status).to.equal(200);
    expect(validateOcpiEnvelope(got.body, 'Token', { strict: true })).to.deep.equal({ ok: true });
    expect(got.body.data).to.deep.include({ uid: 'UID-1', contract_id: 'DE8ACC12E46L89', whitelist: 'ALLOWED', language: 'it', default_profile_type: 'GREEN' });
    expect(got.body.data.energy_contract).to.deep.equal({ supplier_name: 'Greenpeace Energy eG', contract_id: '0123456789' });
    const row = await t.db('id_tokens').where({ uid: 'UID-1' }).first();
    expect(row.partner_fk).to.be.a('number');
  });

  it('§12.2.1.2 PUT: should replace an existing token (absent optional fields become empty)', async () => {
    await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/UID-2`, aToken('UID-2'));
    const { visual_number: _v, ...withoutVisual } = aToken('UID-2', { whitelist: 'NEVER' });
    await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/UID-2`, withoutVisual);
    const got = await ocpi('GET', `/${emsp.countryCode}/${emsp.partyId}/UID-2`);
    expect(got.body.data.whitelist).to.equal('NEVER');
    expect(got.body.data).to.not.have.property('visual_number');
  });

  it('§12.2.1.3 PATCH: should change only the given fields (spec example: invalidate)', async () => {
    await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/UID-3`, aToken('UID-3'));
    const patch = await ocpi('PATCH', `/${emsp.countryCode}/${emsp.partyId}/UID-3`, example('token_patch_example.json'));
    expect(patch.body.status_code).to.equal(1000);
    const got = await ocpi('GET', `/${emsp.countryCode}/${emsp.partyId}/UID-3`);
    expect(got.body.data).to.deep.include({ valid: false, whitelist: 'ALLOWED', last_updated: '2019-06-19T02:11:11Z', issuer: 'TheNewMotion' });
  });

  it('§12.2.1.3 PATCH: should refuse a body without last_updated with 2001 naming the field', async () => {
    await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/UID-4`, aToken('UID-4'));
    const res = await ocpi('PATCH', `/${emsp.countryCode}/${emsp.partyId}/UID-4`, { valid: false });
    expect(res.status).to.equal(400);
    expect(res.body.status_code).to.equal(2001);
    expect(res.body.status_message).to.contain('last_updated');
  });

  it('§12.2.1.3 PATCH: should answer 2004 / HTTP 404 for a token that was never pushed', async () => {
    const res = await ocpi('PATCH', `/${emsp.countryCode}/${emsp.partyId}/NEVER-PUSHED`, { valid: false, last_updated: '2025-01-01T00:00:00Z' });
    expect(res.status).to.equal(404);
    expect(res.body.status_code).to.equal(2004);
  });

  it('status codes §5: should refuse a PUT with a bad body with 2001 and the failing path', async () => {
    const res = await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/UID-5`, aToken('UID-5', { whitelist: 'SOMETIMES' }));
    expect(res.status).to.equal(400);
    expect(res.body.status_code).to.equal(2001);
    expect(res.body.status_message).to.match(/^whitelist: /);
    expect(await t.db('id_tokens').where({ uid: 'UID-5' }).first()).to.equal(undefined);
  });

  it('§12.2.1.2: should refuse a PUT whose body names another uid or party than the URL (2001)', async () => {
    const otherUid = await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/UID-6`, aToken('UID-OTHER'));
    expect(otherUid.body.status_code).to.equal(2001);
    expect(otherUid.body.status_message).to.contain('uid');
    const otherParty = await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/UID-6`, aToken('UID-6', { party_id: 'XXX' }));
    expect(otherParty.body.status_code).to.equal(2001);
    expect(otherParty.body.status_message).to.contain('party_id');
  });

  it('transport §4.1.5.1: should not let a partner write or read tokens of a party that is not its own', async () => {
    const put = await ocpi('PUT', '/NL/ZZZ/UID-7', aToken('UID-7', { country_code: 'NL', party_id: 'ZZZ' }));
    expect(put.status).to.equal(404);
    expect(put.body.status_code).to.equal(2001);
    expect(await t.db('id_tokens').where({ uid: 'UID-7' }).first()).to.equal(undefined);
    const get = await ocpi('GET', '/NL/ZZZ/UID-7');
    expect(get.status).to.equal(404);
  });

  it('should let a hub write tokens of the parties behind it', async () => {
    const token = newSecret();
    await insertPartner(t.db, {
      countryCode: 'NL', partyId: 'HUB', role: 'HUB', status: 'REGISTERED', version: '2.2.1', endpoints: [],
      roles: [{ role: 'HUB', country_code: 'NL', party_id: 'HUB', business_details: { name: 'Hub' } }], tokenHash: hashSecret(token), tokenRemote: newSecret(), registeredAt: new Date(),
    });
    const body = aToken('UID-8', { country_code: 'FR', party_id: 'EMP' });
    const res = await ocpi('PUT', '/FR/EMP/UID-8', body, token);
    expect(res.body.status_code).to.equal(1000);
  });

  it('§12.2.1.1 GET: should answer 2004 / HTTP 404 for an unknown token, and take ?type into account', async () => {
    await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/APP-1?type=APP_USER`, aToken('APP-1', { type: 'APP_USER' }));
    const asRfid = await ocpi('GET', `/${emsp.countryCode}/${emsp.partyId}/APP-1`);
    expect(asRfid.status).to.equal(404);
    expect(asRfid.body.status_code).to.equal(2004);
    const asApp = await ocpi('GET', `/${emsp.countryCode}/${emsp.partyId}/APP-1?type=APP_USER`);
    expect(asApp.body.data.type).to.equal('APP_USER');
  });

  it('should refuse an unknown ?type with 2001', async () => {
    const res = await ocpi('GET', `/${emsp.countryCode}/${emsp.partyId}/UID-1?type=CARD`);
    expect(res.status).to.equal(400);
    expect(res.body.status_code).to.equal(2001);
  });

  describe('last_updated precision (types §16.2: fractional seconds MAY be used)', () => {
    const at = (fraction: string) => `2026-04-01T10:00:00${fraction}`;
    const stored = async (uid: string) => (await ocpi('GET', `/${emsp.countryCode}/${emsp.partyId}/${uid}`)).body.data;

    it('§12.2.1.2/§12.2.1.3: should apply a change newer by milliseconds and give last_updated back as sent', async () => {
      await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/MS-1`, aToken('MS-1', { last_updated: at('.250Z') }));
      expect((await stored('MS-1')).last_updated).to.equal(at('.250Z'));

      const patch = await ocpi('PATCH', `/${emsp.countryCode}/${emsp.partyId}/MS-1`, { valid: false, last_updated: at('.750Z') });

      expect(patch.body.status_code).to.equal(1000);
      expect(await stored('MS-1')).to.deep.include({ valid: false, last_updated: at('.750Z') });
    });

    it('should leave the token alone when a PATCH or PUT is older by milliseconds (answered 1000)', async () => {
      await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/MS-2`, aToken('MS-2', { last_updated: at('.250Z') }));
      await ocpi('PATCH', `/${emsp.countryCode}/${emsp.partyId}/MS-2`, { valid: false, last_updated: at('.750Z') });

      const patch = await ocpi('PATCH', `/${emsp.countryCode}/${emsp.partyId}/MS-2`, { valid: true, last_updated: at('.100Z') });
      const put = await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/MS-2`, aToken('MS-2', { whitelist: 'NEVER', last_updated: at('.100Z') }));

      expect([patch.body.status_code, put.body.status_code]).to.deep.equal([1000, 1000]);
      expect(await stored('MS-2')).to.deep.include({ valid: false, whitelist: 'ALLOWED', last_updated: at('.750Z') });
    });

    it('should keep every fractional digit sent (beyond milliseconds), and compare on them', async () => {
      await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/US-1`, aToken('US-1', { last_updated: at('.1236Z') }));
      await ocpi('PATCH', `/${emsp.countryCode}/${emsp.partyId}/US-1`, { valid: false, last_updated: at('.1235Z') });

      expect(await stored('US-1')).to.deep.include({ valid: true, last_updated: at('.1236Z') });
    });

    it('should keep the newest of concurrent PUTs whatever order they commit in (PostgreSQL: on conflict … where)', async () => {
      const uids = Array.from({ length: 8 }, (_, i) => `RACE-${i}`);

      await Promise.all(uids.flatMap((uid) => ['.250Z', '.750Z', '.500Z'].map((f) => ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/${uid}`, aToken(uid, { last_updated: at(f), visual_number: f })))));

      const rows = await t.db('id_tokens').whereIn('uid', uids).select('visual_number', 'last_updated_as_sent');
      expect(rows).to.have.length(uids.length);
      for (const row of rows) expect(row).to.deep.equal({ visual_number: '.750Z', last_updated_as_sent: at('.750Z') });
    });

    it('should read a DateTime without Z as UTC (types §16.2) and give it back as sent', async () => {
      await ocpi('PUT', `/${emsp.countryCode}/${emsp.partyId}/NOZ-1`, aToken('NOZ-1', { last_updated: at('.5') }));
      await ocpi('PATCH', `/${emsp.countryCode}/${emsp.partyId}/NOZ-1`, { valid: false, last_updated: at('.4Z') });

      expect(await stored('NOZ-1')).to.deep.include({ valid: true, last_updated: at('.5') });
      const row = await t.db('id_tokens').where({ uid: 'NOZ-1' }).first();
      expect(new Date(row.last_updated).toISOString()).to.equal(at('.500Z'));
    });
  });

  it('should list the tokens module as RECEIVER in the 2.2.1 version details', async () => {
    const res = await fetch(`${t.httpUrl}/ocpi/2.2.1`, { headers: { authorization: tokenHeader(emsp.token) } });
    const body = (await res.json()) as any;
    expect(body.data.endpoints).to.deep.include({ identifier: 'tokens', role: 'RECEIVER', url: `${t.httpUrl}/ocpi/2.2.1/tokens` });
  });
});
