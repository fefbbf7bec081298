// Scheduled password rotation (issue 13): the password-rotation job gives each connected, Accepted charger
// whose password is older than ocpp.auth.passwordRotationDays a new AuthorizationKey, one after the other,
// under the job runner's cluster lock. A refusing or offline charger keeps its password and is tried again.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, handshakeStatus, type ChargerClient } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aRegisteredCharger, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

const DAY_MS = 86_400_000;

describe('e2e scheduled password rotation (password-rotation job)', () => {
  const t = useTestApp({ overrides: { 'ocpp.auth.passwordRotationDays': 30, 'ocpp.callTimeoutSec': 2 } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });

  /** A charger whose row is `ageDays` old, connected (or not) and answering ChangeConfiguration with `status`. */
  async function aCharger(ageDays: number, o: { status?: string; connected?: boolean } = {}) {
    const id = await aRegisteredCharger(t.app.services);
    await t.db('charge_points').where({ id }).update({ created_at: new Date(Date.now() - ageDays * DAY_MS) });
    const sent: Array<{ key: string; value: string }> = [];
    if (o.connected === false) return { id, sent };
    const connected = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await connected;
    open.push(client);
    client.handle('ChangeConfiguration', async ({ params }) => (sent.push(params as { key: string; value: string }), { status: o.status ?? 'Accepted' }));
    return { id, client, sent };
  }

  it('should rotate only the connected chargers with a password older than the limit, and keep a refusing one\'s password', async () => {
    // Arrange
    const old = await aCharger(40);
    const recent = await aCharger(5);
    const offline = await aCharger(40, { connected: false });
    const refusing = await aCharger(40, { status: 'Rejected' });

    // Act
    const outcome = await t.app.scheduler.runNow('password-rotation');
    for (const c of open.splice(0)) await c.close();
    const key = Buffer.from(old.sent[0].value, 'hex');
    const statuses = [await handshakeStatus(t, old.id, { password: key }), await handshakeStatus(t, old.id, { password: CHARGER_PASSWORD }), await handshakeStatus(t, refusing.id, { password: CHARGER_PASSWORD })].map((h) => h.status);
    const changed = await t.db('charge_points').whereIn('id', [old.id, refusing.id]).orderBy('id').select('id', 'password_changed_at');

    // Assert
    expect(outcome).to.nested.include({ status: 'ran' });
    expect([old.sent.map((s) => s.key), recent.sent, offline.sent, refusing.sent.map((s) => s.key)]).to.deep.equal([['AuthorizationKey'], [], [], ['AuthorizationKey']]);
    expect(statuses).to.deep.equal([101, 401, 101]);
    expect(changed.find((r: any) => r.id === old.id).password_changed_at).to.not.equal(null);
    expect(changed.find((r: any) => r.id === refusing.id).password_changed_at).to.equal(null);
  });

  it('should count a rotated password\'s age from its change, not from the charger\'s creation', async () => {
    const c = await aCharger(40);
    await t.db('charge_points').where({ id: c.id }).update({ password_changed_at: new Date(Date.now() - 2 * DAY_MS) });

    await t.app.scheduler.runNow('password-rotation');

    expect(c.sent).to.deep.equal([]);
  });
});
