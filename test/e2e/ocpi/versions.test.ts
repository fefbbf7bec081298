// OCPI 2.2.1 versions module (§6) on the whole app: version list and 2.2.1 details with every mounted module.
import { expect } from 'chai';
import { validateOcpiEnvelope } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aRegisteredPartner, tokenHeader } from '../../fixtures/partners.ts';

describe('e2e ocpi versions', () => {
  const t = useTestApp({ overrides: { publicUrl: 'https://cpms.example.com/' } });
  let token: string;

  before(async () => {
    ({ token } = await aRegisteredPartner(t.db));
  });

  const get = async (path: string) => (await fetch(`${t.httpUrl}${path}`, { headers: { authorization: tokenHeader(token) } })).json() as Promise<any>;

  it('§6.1: should list version 2.2.1 with the absolute URL of its details, from config.publicUrl', async () => {
    const body = await get('/ocpi/versions');
    expect(validateOcpiEnvelope(body, 'Version', { list: true, strict: true })).to.deep.equal({ ok: true });
    expect(body.data).to.deep.equal([{ version: '2.2.1', url: 'https://cpms.example.com/ocpi/2.2.1' }]);
  });

  it('§6.2: should list every mounted module once with its role and URL, credentials as SENDER', async () => {
    const body = await get('/ocpi/2.2.1');
    expect(validateOcpiEnvelope(body, 'VersionDetails', { strict: true })).to.deep.equal({ ok: true });
    const endpoints: Array<{ identifier: string; role: string; url: string }> = body.data.endpoints;
    expect(endpoints).to.deep.include({ identifier: 'credentials', role: 'SENDER', url: 'https://cpms.example.com/ocpi/2.2.1/credentials' });
    expect(new Set(endpoints.map((e) => e.identifier)).size).to.equal(endpoints.length);
    for (const e of endpoints) expect(e.url).to.equal(`https://cpms.example.com/ocpi/2.2.1/${e.identifier}`);
  });
});
