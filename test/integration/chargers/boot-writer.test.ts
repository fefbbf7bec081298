// Issue 8 (reconnect storm): BootNotifications of many chargers share one transaction (boot-writer.ts);
// each answer still reports the charger's own registration status and comes after its data committed.
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { aBootNotification, aChargerId } from '../../fixtures/chargers.ts';

describe('BootNotification group commit', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  /** Chargers stored directly (no password hashing: the boot path never reads it). */
  async function chargers(statuses: Array<'Accepted' | 'Pending'>): Promise<string[]> {
    const ids = statuses.map(() => aChargerId('boot'));
    await t.db('charge_points').insert(ids.map((id, i) => ({ id, registration_status: statuses[i] })));
    return ids;
  }

  it('OCPP16 §4.2 BootNotification: should store every concurrent boot and answer each its own status, several per transaction', async () => {
    // Arrange
    const statuses = Array.from({ length: 24 }, (_, i): 'Accepted' | 'Pending' => (i % 3 === 0 ? 'Pending' : 'Accepted'));
    const ids = await chargers(statuses);
    const before = { ...app.services.chargers.bootWriter.stats };

    // Act
    const answers = await Promise.all(ids.map((id, i) => app.services.chargers.boot(id, aBootNotification({ chargePointModel: `model-${i}` }))));

    // Assert
    expect(answers.map((a) => a.status)).to.deep.equal(statuses);
    const rows = await t.db('charge_points').whereIn('id', ids).select('id', 'model', 'last_boot_at');
    expect(new Map(rows.map((r) => [r.id, r.model]))).to.deep.equal(new Map(ids.map((id, i) => [id, `model-${i}`])));
    expect(rows.every((r) => r.last_boot_at !== null)).to.equal(true);
    const stats = app.services.chargers.bootWriter.stats;
    expect(stats.items - before.items).to.equal(ids.length);
    expect(stats.batches - before.batches).to.be.below(ids.length);
  });

  it('should fail only the boot of an unknown charger when it shares a batch with others', async () => {
    // Arrange
    const ids = await chargers(['Accepted', 'Accepted', 'Pending']);
    const unknown = aChargerId('unknown');

    // Act
    const results = await Promise.allSettled([...ids, unknown].map((id) => app.services.chargers.boot(id, aBootNotification({ chargePointVendor: 'Batch' }))));

    // Assert
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(((results[3] as PromiseRejectedResult).reason as Error).name).to.equal('NotFound');
    const stored = await t.db('charge_points').whereIn('id', ids).where({ vendor: 'Batch' }).pluck('id');
    expect(stored.sort()).to.deep.equal([...ids].sort());
  });
});
