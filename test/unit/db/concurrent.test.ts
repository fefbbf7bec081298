import { expect } from 'chai';
import { readTogether } from '../../../src/db/concurrent.ts';
import type { Db } from '../../../src/db/knex.ts';

/** Two reads that log when they start and end; the first ends only after a macrotask. */
function twoReads(log: string[]) {
  const read = (name: string, wait: boolean) => async () => {
    log.push(`start ${name}`);
    if (wait) await new Promise((r) => setTimeout(r, 5));
    log.push(`end ${name}`);
    return name;
  };
  return [read('a', true), read('b', false)] as [() => Promise<string>, () => Promise<string>];
}

describe('readTogether', () => {
  it('should start both reads at once on a pool, and answer in the order given', async () => {
    const log: string[] = [];

    const result = await readTogether<[string, string]>({} as Db, twoReads(log));

    expect(result).to.deep.equal(['a', 'b']);
    expect(log.slice(0, 2)).to.deep.equal(['start a', 'start b']);
  });

  it('should run the reads one after the other inside a transaction (one connection)', async () => {
    const log: string[] = [];

    const result = await readTogether<[string, string]>({ isTransaction: true } as unknown as Db, twoReads(log));

    expect(result).to.deep.equal(['a', 'b']);
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b']);
  });
});
