// OCPI 2.2.1 tokens §12.3.2 Token ↔ stored token, with the spec's own examples.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { fromOcpiPatch, fromOcpiToken, keyOf, toOcpiToken } from '../../../src/tokens/ocpi.mapper.ts';
import type { IdToken, OcpiToken } from '../../../src/tokens/token.types.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { utcInstantOf } from '../../../src/shared/ocpi-date-time.ts';

const example = (file: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ocpi-examples/${file}`, import.meta.url), 'utf8'));

/** What the repo gives back for a stored token: the instant, and last_updated as sent. */
function stored(t: OcpiToken): IdToken {
  const fields = fromOcpiToken(t);
  return { id: 1, ...keyOf(t), partnerFk: 3, expiryDate: null, ...fields, lastUpdated: new Date(utcInstantOf(fields.lastUpdated)), lastUpdatedAsSent: fields.lastUpdated } as IdToken;
}

describe('tokens/ocpi.mapper', () => {
  it('§12.3.2 full RFID example: should survive a round trip unchanged', () => {
    const token = example('token_example_2_full_rfid.json') as OcpiToken;
    const back = toOcpiToken(stored(token));
    expect(back).to.deep.equal(token);
    expect(validateOcpi('Token', back, { strict: true })).to.deep.equal({ ok: true });
  });

  it('§12.3.2 APP_USER example: should leave absent optional fields out of the OCPI object', () => {
    const token = example('token_example_1_app_user.json') as OcpiToken;
    const back = toOcpiToken(stored(token));
    expect(back).to.not.have.property('visual_number');
    expect(back).to.not.have.property('energy_contract');
    expect(validateOcpi('Token', back, { strict: true })).to.deep.equal({ ok: true });
  });

  it('should upper-case the CiString country_code and party_id of the key', () => {
    expect(keyOf({ country_code: 'de', party_id: 'ems', uid: 'abc', type: 'RFID' })).to.deep.equal({ countryCode: 'DE', partyId: 'EMS', uid: 'abc', type: 'RFID' });
  });

  it('§12.2.1.3 PATCH example: should change only the fields present', () => {
    const patch = example('token_patch_example.json');
    const fields = fromOcpiPatch(patch);
    expect(fields).to.deep.equal({ valid: false, lastUpdated: patch.last_updated });
  });

  it('types §16.2: should give last_updated back as the eMSP sent it, every fractional digit, Z or not', () => {
    for (const lastUpdated of ['2026-04-01T10:00:00.250Z', '2026-04-01T10:00:00.1236Z', '2026-04-01T10:00:00.5', '2026-04-01T10:00:00Z']) {
      const token = { ...(example('token_example_2_full_rfid.json') as OcpiToken), last_updated: lastUpdated };
      expect(toOcpiToken(stored(token)).last_updated).to.equal(lastUpdated);
    }
  });

  it('should render a token without the string as sent (our own, or stored before it was kept) from the instant', () => {
    const token = example('token_example_2_full_rfid.json') as OcpiToken;
    const at = (iso: string) => toOcpiToken({ ...stored(token), lastUpdated: new Date(iso), lastUpdatedAsSent: null }).last_updated;
    expect([at('2026-04-01T10:00:00.000Z'), at('2026-04-01T10:00:00.250Z')]).to.deep.equal(['2026-04-01T10:00:00Z', '2026-04-01T10:00:00.250Z']);
  });

  it('should map an explicit null-able field present in a PATCH', () => {
    expect(fromOcpiPatch({ last_updated: '2025-01-01T00:00:00Z', whitelist: 'NEVER', visual_number: 'V-1' })).to.deep.equal({
      whitelist: 'NEVER', visualNumber: 'V-1', lastUpdated: '2025-01-01T00:00:00Z',
    });
  });
});
