// Migration 20261204200000_alert_subjects on alerts opened before it (zombie rules, per session): an open
// alert gets the subject its kind now gives it, so raising it again meets it instead of failing on the
// per-session unique index.
import { expect } from 'chai';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { rewindTo } from '../../helpers/migration.ts';
import { insertAlertOnce } from '../../../src/alerts/alert.repo.ts';

describe('migration alert_subjects', () => {
  const tdb = useTestDb();

  it('should give open session alerts the subject session:<id> so that a repeat of the alert is recognized', async () => {
    // Arrange: a zombie alert stored before
    const db = tdb.db;
    const migration = await rewindTo(db, '20261204200000_alert_subjects.ts');
    const openedAt = new Date('2026-06-01T00:00:00Z');
    await db('alerts').insert({ kind: 'ZOMBIE_NO_ENERGY', severity: 'warning', charge_point_id: 'CP-MIG', connector_id: 1, session_id: 4242, message: 'old', opened_at: openedAt });

    // Act
    await migration.reapply();
    const repeat = await insertAlertOnce(db, { kind: 'ZOMBIE_NO_ENERGY', severity: 'warning', subject: 'session:4242', sessionId: 4242, message: 'again' }, new Date('2026-06-01T01:00:00Z'));

    // Assert
    expect(repeat).to.equal(undefined);
    expect(await db('alerts').where({ session_id: 4242 }).pluck('subject')).to.deep.equal(['session:4242']);
  });
});
