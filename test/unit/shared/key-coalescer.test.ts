import { expect } from 'chai';
import { KeyCoalescer } from '../../../src/shared/key-coalescer.ts';

/** A run that records its key sets and can be held open until released. */
function recorder() {
  const runs: number[][] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const run = async (keys: number[]) => {
    runs.push(keys);
    if (hold) await new Promise<void>((resolve) => (release = resolve));
  };
  return { runs, run, holdNext: () => (hold = true), release: () => ((hold = false), release?.()) };
}

describe('unit shared: KeyCoalescer', () => {
  it('should run the keys added in one turn together, each once', async () => {
    const r = recorder();
    const c = new KeyCoalescer(r.run, () => undefined);

    for (const k of [1, 2, 2, 3, 1]) c.add(k);
    await c.settled();

    expect(r.runs).to.deep.equal([[1, 2, 3]]);
  });

  it('should gather the keys added while a run is going on into the next run', async () => {
    const r = recorder();
    const c = new KeyCoalescer(r.run, () => undefined);
    r.holdNext();
    c.add(1);
    await new Promise((resolve) => setImmediate(resolve));

    c.add(2);
    c.add(3);
    r.release();
    await c.settled();

    expect(r.runs).to.deep.equal([[1], [2, 3]]);
  });

  it('should report a failed run and still run the keys added after it', async () => {
    const errors: unknown[] = [];
    const runs: number[][] = [];
    const c = new KeyCoalescer(async (keys: number[]) => {
      runs.push(keys);
      if (keys.includes(1)) throw new Error('boom');
    }, (err) => errors.push(err));

    c.add(1);
    await c.settled();
    c.add(2);
    await c.settled();

    expect(runs).to.deep.equal([[1], [2]]);
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['boom']);
  });

  it('should gather the keys of minIntervalMs after a run into the next run, and run a key at once after a quiet spell', async () => {
    // Arrange
    const r = recorder();
    const c = new KeyCoalescer(r.run, () => undefined, { minIntervalMs: 500 });
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    // Act: a key runs at once; three more over the next turns wait for the interval and go together
    c.add(1);
    await turn();
    await turn();
    const first = r.runs.length;
    for (const k of [2, 3, 4]) {
      c.add(k);
      await turn();
    }
    const beforeInterval = r.runs.length;
    await c.settled();
    await new Promise((resolve) => setTimeout(resolve, 550));
    c.add(5);
    await turn();
    await turn();

    // Assert
    expect({ first, beforeInterval }).to.deep.equal({ first: 1, beforeInterval: 1 });
    expect(r.runs).to.deep.equal([[1], [2, 3, 4], [5]]);
  });
});
