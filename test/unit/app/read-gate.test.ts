import { expect } from 'chai';
import { ReadGate } from '../../../src/app/read-gate.ts';

interface Item {
  name: string;
  isGone?: boolean;
}

describe('unit app/read-gate', () => {
  const items = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ name: `s${i}` }));

  function aGate(maxArmed: number, armedTimeoutMs = 60_000) {
    const started: string[] = [];
    const stopped: string[] = [];
    const gate = new ReadGate<Item>({ maxArmed, armedTimeoutMs }, (x) => void started.push(x.name), (x) => void stopped.push(x.name), (x) => x.isGone === true);
    return { gate, started, stopped };
  }

  it('should start at most maxArmed items and the next one, in order, each time one settles', () => {
    // Arrange
    const { gate, started } = aGate(2);
    const [a, b, c, d] = items(4);

    // Act
    [a, b, c, d].forEach((x) => gate.admit(x!));
    const first = [...started];
    gate.settle(b!);
    const afterOne = [...started];
    gate.settle(a!);

    // Assert
    expect(first).to.deep.equal(['s0', 's1']);
    expect(afterOne).to.deep.equal(['s0', 's1', 's2']);
    expect(started).to.deep.equal(['s0', 's1', 's2', 's3']);
    expect([gate.armedCount, gate.waitingCount]).to.deep.equal([2, 0]);
  });

  it('should skip items gone while waiting and ignore settling an item that is not armed', () => {
    // Arrange
    const { gate, started } = aGate(1);
    const [a, b, c] = items(3);
    [a, b, c].forEach((x) => gate.admit(x!));

    // Act: b closes while waiting; c settles (e.g. closes) before it was armed, which frees nothing
    b!.isGone = true;
    gate.settle(c!);
    const beforeA = [...started];
    gate.settle(a!);

    // Assert
    expect(beforeA).to.deep.equal(['s0']);
    expect(started).to.deep.equal(['s0', 's2']);
  });

  it('should stop an item that waited armedTimeoutMs for its request and start it again behind the others', async () => {
    // Arrange: a never gets its request; b gets its as soon as it may read
    const started: string[] = [];
    const stopped: string[] = [];
    const gate = new ReadGate<Item>(
      { maxArmed: 1, armedTimeoutMs: 20 },
      (x) => {
        started.push(x.name);
        if (x === b) queueMicrotask(() => gate.settle(b));
      },
      (x) => void stopped.push(x.name),
    );
    const [a, b] = items(2);

    // Act
    gate.admit(a!);
    gate.admit(b!);
    while (started.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));

    // Assert: a was stopped when b started, and started again when b settled
    expect(started).to.deep.equal(['s0', 's1', 's0']);
    expect(stopped).to.deep.equal(['s0']);
    expect([gate.armedCount, gate.waitingCount]).to.deep.equal([1, 0]);
  });

  it('should refuse a gate that could never start anything', () => {
    expect(() => new ReadGate({ maxArmed: 0, armedTimeoutMs: 10 }, () => undefined, () => undefined)).to.throw(RangeError, /maxArmed/);
  });
});
