// ByteLru (pure): the size-bounded store behind the kept OCPI locations pages (issue 8).
import { expect } from 'chai';
import { ByteLru } from '../../../src/shared/byte-lru.ts';

describe('unit ByteLru', () => {
  it('should drop the least recently used values once their sizes pass the budget', () => {
    const lru = new ByteLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    lru.get('a');
    lru.set('c', 'C', 4);
    expect([lru.get('a'), lru.get('b'), lru.get('c'), lru.bytes]).to.deep.equal(['A', undefined, 'C', 8]);
  });

  it('should count a replaced value once', () => {
    const lru = new ByteLru<string>(10);
    lru.set('a', 'A1', 6);
    lru.set('a', 'A2', 7);
    expect([lru.get('a'), lru.bytes, lru.size]).to.deep.equal(['A2', 7, 1]);
  });

  it('should not keep a value larger than the whole budget, nor anything with a budget of 0', () => {
    const lru = new ByteLru<string>(10);
    lru.set('big', 'X', 11);
    const none = new ByteLru<string>(0);
    none.set('a', 'A', 1);
    expect([lru.get('big'), lru.bytes, none.get('a'), none.size]).to.deep.equal([undefined, 0, undefined, 0]);
  });

  it('should drop everything on clear', () => {
    const lru = new ByteLru<string>(10);
    lru.set('a', 'A', 3);
    lru.clear();
    expect([lru.get('a'), lru.bytes, lru.size]).to.deep.equal([undefined, 0, 0]);
  });
});
