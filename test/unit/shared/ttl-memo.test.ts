// TtlMemo (pure): the in-memory memo behind the cached Authorize (issue 8).
import { expect } from 'chai';
import { TtlMemo } from '../../../src/shared/ttl-memo.ts';

describe('unit TtlMemo', () => {
  it('should return a stored value until its expiry, then nothing', () => {
    const memo = new TtlMemo<string>(10);
    memo.set('k', 'v', 1_000, memo.epoch());
    expect([memo.get('k', 999), memo.get('k', 1_000), memo.size]).to.deep.equal(['v', undefined, 0]);
  });

  it('should not store a value read before a clear (an invalidation raced the read)', () => {
    const memo = new TtlMemo<string>(10);
    const epoch = memo.epoch();
    memo.clear();
    memo.set('k', 'stale', 1_000, epoch);
    expect(memo.get('k', 0)).to.equal(undefined);
  });

  it('should drop every entry on clear', () => {
    const memo = new TtlMemo<number>(10);
    memo.set('a', 1, 1_000, memo.epoch());
    memo.set('b', 2, 1_000, memo.epoch());
    memo.clear();
    expect([memo.get('a', 0), memo.get('b', 0), memo.size]).to.deep.equal([undefined, undefined, 0]);
  });

  it('should drop the oldest entry past its size', () => {
    const memo = new TtlMemo<number>(2);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) memo.set(k, v, 1_000, memo.epoch());
    expect([memo.get('a', 0), memo.get('b', 0), memo.get('c', 0)]).to.deep.equal([undefined, 2, 3]);
  });
});
