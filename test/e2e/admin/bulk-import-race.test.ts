// Two bulk imports at once with overlapping ids (issue 8): no charger or token is stored twice, each
// import is applied whole or not at all, and its results say which. Meaningful on the PostgreSQL server
// (DATABASE_URL), where the two transactions really overlap; PGlite runs them one after the other.
import { expect } from 'chai';
import { scryptPasswords, type PasswordHasher } from '../../../src/shared/password.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aChargerId, anIdTag } from '../../fixtures/chargers.ts';

/**
 * Hashing waits until both imports of a pair (their passwords start with `<tag>-`) have started hashing:
 * each has checked for existing ids by then, so both go on to insert the shared ids, and the database
 * has to settle who gets them.
 */
function aBarrierHasher(pairs: Array<[string, string]>): PasswordHasher {
  const seen = new Set<string>();
  const gates = pairs.map((pair) => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { pair, open, opened };
  });
  return {
    async hash(password) {
      const tag = String(password).split('-')[0];
      seen.add(tag);
      const gate = gates.find((g) => g.pair.includes(tag));
      if (gate && gate.pair.every((p) => seen.has(p))) gate.open();
      await gate?.opened;
      return scryptPasswords.hash(password);
    },
    verify: (password, stored) => scryptPasswords.verify(password, stored),
  };
}

const rowsOf = (ids: string[], tag: string) => ids.map((id) => ({ id, password: `${tag}-password` }));
const ids = (n: number) => Array.from({ length: n }, () => aChargerId('race'));

describe('e2e admin API bulk import: two imports at once', () => {
  const t = useTestApp({ passwords: aBarrierHasher([['A', 'B'], ['C', 'D']]) });

  it('should apply one of two overlapping charger imports whole and refuse the other whole (onExisting=error)', async () => {
    // Arrange
    const [onlyA, shared, onlyB] = [ids(5), ids(5), ids(5)];
    // Act
    const [a, b] = await Promise.all([
      t.api('POST', '/api/v1/chargers/bulk', rowsOf([...onlyA, ...shared], 'A')),
      t.api('POST', '/api/v1/chargers/bulk', rowsOf([...shared, ...onlyB], 'B')),
    ]);
    // Assert
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const [winner, loser] = a.status === 200 ? [[...onlyA, ...shared], b] : [[...shared, ...onlyB], a];
    const stored = (await t.db('charge_points').whereIn('id', [...onlyA, ...shared, ...onlyB])).map((r) => r.id);
    expect(stored.sort()).to.deep.equal([...winner].sort());
    const failed = loser.body.results.filter((r: any) => r.status === 'failed').map((r: any) => r.id);
    expect(failed.sort()).to.deep.equal([...shared].sort());
    expect(loser.body.results.every((r: any) => r.status === 'failed' ? r.error === `id: charger ${r.id} already exists` : r.status === 'not applied')).to.equal(true);
  });

  it('should create each shared charger once and report it existing to the other import (onExisting=skip)', async () => {
    // Arrange
    const [onlyC, shared, onlyD] = [ids(4), ids(6), ids(4)];
    // Act
    const [c, d] = await Promise.all([
      t.api('POST', '/api/v1/chargers/bulk?onExisting=skip', rowsOf([...onlyC, ...shared], 'C')),
      t.api('POST', '/api/v1/chargers/bulk?onExisting=skip', rowsOf([...shared, ...onlyD], 'D')),
    ]);
    // Assert
    expect([c.status, d.status]).to.deep.equal([200, 200]);
    for (const id of shared) {
      const statuses = [...c.body.results, ...d.body.results].filter((r: any) => r.id === id).map((r: any) => r.status).sort();
      expect(statuses, id).to.deep.equal(['created', 'existing']);
    }
    expect(c.body.created + d.body.created).to.equal(14);
    expect(await t.db('charge_points').whereIn('id', [...onlyC, ...shared, ...onlyD]).count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '14' }]);
  });

  it('should store each shared token once whichever of two overlapping token imports commits first', async () => {
    // Arrange
    const shared = Array.from({ length: 20 }, anIdTag);
    const [onlyA, onlyB] = [[anIdTag()], [anIdTag()]];
    // Act
    const [a, b] = await Promise.all([
      t.api('POST', '/api/v1/tokens/bulk', [...onlyA, ...shared].map((uid) => ({ uid }))),
      t.api('POST', '/api/v1/tokens/bulk', [...shared, ...onlyB].map((uid) => ({ uid }))),
    ]);
    // Assert
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const stored = (await t.db('id_tokens').whereIn('uid', [...onlyA, ...shared, ...onlyB])).map((r) => r.uid);
    expect(stored.sort()).to.deep.equal((a.status === 200 ? [...onlyA, ...shared] : [...shared, ...onlyB]).sort());
  });
});
