// OCPP-J 1.6 §3.1.1: the charge point identity is the last path segment of the endpoint URL. What the
// server accepts as an identity is checked before anything else looks at it (no database access).
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { handshakeStatus } from '../../helpers/charger.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP handshake: charge point identity', () => {
  // Onboarding on: an identity that got past the check would be looked up and stored.
  const t = useTestApp({ overrides: { 'ocpp.acceptUnknownChargers': true } });

  // (A NUL byte cannot even be a query parameter in PostgreSQL: count the rows instead of looking it up.)
  const chargerCount = async () => Number((await t.db('charge_points').count({ n: '*' }).first())!.n);

  const bad: Array<[string, string]> = [
    ['a NUL byte (%00)', 'CP-\u0000-1'],
    ['a control character', 'CP-\u0007-bell'],
    ['a DEL character', 'CP-\u007f'],
    ['a line break', 'CP-\n-1'],
    ['a space', 'CP 1'],
    ['49 characters', 'C'.repeat(49)],
    ['a "/" (encoded as %2F)', 'CP/1'],
  ];
  for (const [name, identity] of bad) {
    it(`should refuse an identity with ${name} with 400 and store nothing`, async () => {
      const before = await chargerCount();

      const res = await handshakeStatus(t, identity, { password: CHARGER_PASSWORD });

      expect([res.status, res.body]).to.deep.equal([400, 'charge point identity must be 1-48 printable characters without "/" or spaces']);
      expect(await chargerCount()).to.equal(before);
    });
  }

  it('should accept 48 printable characters, including non-ASCII letters', async () => {
    const identity = `CP-${'é'.repeat(20)}-${Date.now()}`.slice(0, 48);

    const res = await handshakeStatus(t, identity, { password: CHARGER_PASSWORD });

    expect(res.status).to.equal(101);
  });
});
