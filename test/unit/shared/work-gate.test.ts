import { expect } from 'chai';
import { WorkGate } from '../../../src/shared/work-gate.ts';

/** A task that finishes when told to. */
function aHeldTask() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    work: async () => {
      started = true;
      await done;
      return 'done';
    },
    finish: () => finish(),
    get started() {
      return started;
    },
  };
}

describe('unit shared/work-gate', () => {
  it('should run at most maxActive tasks, queue maxQueued, refuse the rest without running them, and hand slots on in order', async () => {
    // Arrange
    const gate = new WorkGate(2, 1);
    const [a, b, c, d] = [aHeldTask(), aHeldTask(), aHeldTask(), aHeldTask()];

    // Act
    const runs = [a, b, c].map((t) => gate.run(t.work));
    const refused = await gate.run(d.work);
    const loadWhileFull = gate.load;
    const startedWhileFull = [a.started, b.started, c.started];
    a.finish();
    await runs[0];
    const cStartedAfterA = c.started;
    b.finish();
    c.finish();
    const results = await Promise.all(runs);

    // Assert
    expect(refused).to.deep.equal({ ran: false });
    expect(d.started).to.equal(false);
    expect(loadWhileFull).to.deep.equal({ active: 2, queued: 1 });
    expect(startedWhileFull).to.deep.equal([true, true, false]);
    expect(cStartedAfterA).to.equal(true);
    expect(results).to.deep.equal([{ ran: true, value: 'done' }, { ran: true, value: 'done' }, { ran: true, value: 'done' }]);
    expect(gate.load).to.deep.equal({ active: 0, queued: 0 });
  });

  it('should free the slot of a task that throws', async () => {
    const gate = new WorkGate(1, 0);

    const failed = await gate.run(async () => Promise.reject(new Error('boom'))).catch((e: Error) => e.message);
    const next = await gate.run(async () => 'ok');

    expect([failed, next]).to.deep.equal(['boom', { ran: true, value: 'ok' }]);
  });
});
