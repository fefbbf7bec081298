// OCPP 1.6 security whitepaper, "Update Charge Point Password for HTTP Basic Authentication": a simulated
// charger that accepts ChangeConfiguration AuthorizationKey reconnects at once with the key's bytes as its
// password, which the server then makes its only password.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { registerFleet } from '../../../src/simulator/index.ts';
import { aFleet } from '../../fixtures/simulator.ts';

describe('e2e simulator: password rotation', () => {
  const t = useTestApp();

  it('should reconnect with the new AuthorizationKey after accepting it, leaving the key as its only password', async () => {
    const fleet = aFleet(t, {});
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey });
    fleet.start();
    await fleet.whenOnline();
    const id = fleet.chargers[0].id;
    const before = await t.db('charge_points').where({ id }).first();

    const res = await t.api('POST', `/api/v1/chargers/${id}/rotate-password`);
    const after = await eventually(async () => {
      const row = await t.db('charge_points').where({ id }).first();
      return row.pending_password_hash === null && row.password_hash !== before.password_hash && row.is_connected && row;
    }, 'the charger to connect with its new key');
    await fleet.stop();

    expect([res.status, res.body]).to.deep.equal([200, { status: 'Accepted' }]);
    expect(after.password_hash).to.match(/^sha256\$/);
  });
});
