import { expect } from 'chai';
import { OutboundQueue, type OutboundItem } from '../../../src/simulator/model/outbound-queue.ts';

const item = (action: string, transactional: boolean): OutboundItem<string> => ({ action, transactional, attempts: 0, data: action });

describe('simulator/model/outbound-queue', () => {
  it('OCPP16 §4.10: should keep the transaction messages, in order, when the connection drops, and drop the others', () => {
    // Arrange: what a charger queued while its connection was going down
    const q = new OutboundQueue<string>();
    for (const [a, tx] of [['StatusNotification', false], ['StartTransaction', true], ['MeterValues#1', true], ['Heartbeat', false], ['MeterValues#2', true], ['StopTransaction', true]] as const) q.push(item(a, tx));

    // Act
    const dropped = q.dropVolatile();

    // Assert
    expect(dropped.map((i) => i.action)).to.deep.equal(['StatusNotification', 'Heartbeat']);
    expect(q.toArray().map((i) => i.action)).to.deep.equal(['StartTransaction', 'MeterValues#1', 'MeterValues#2', 'StopTransaction']);
  });

  it('should keep the head until it is shifted (a call lost with the connection is sent again first)', () => {
    const q = new OutboundQueue<string>();
    q.push(item('StartTransaction', true));
    q.push(item('StatusNotification', false));
    expect(q.head()?.action).to.equal('StartTransaction');
    q.dropVolatile(); // the connection dropped while StartTransaction was in flight
    q.push(item('MeterValues', true));
    expect([q.shift()?.action, q.shift()?.action, q.shift(), q.length]).to.deep.equal(['StartTransaction', 'MeterValues', undefined, 0]);
  });

  it('should keep the order over a long replay (the array is compacted as it goes)', () => {
    const q = new OutboundQueue<string>();
    for (let i = 0; i < 5000; i++) q.push(item(`MeterValues#${i}`, true));
    const out: string[] = [];
    for (let i = 0; i < 3000; i++) out.push(q.shift()!.action);
    q.push(item('StopTransaction', true));
    while (q.length) out.push(q.shift()!.action);
    expect(out).to.have.length(5001);
    expect(out.slice(2998, 3002)).to.deep.equal(['MeterValues#2998', 'MeterValues#2999', 'MeterValues#3000', 'MeterValues#3001']);
    expect(out.at(-1)).to.equal('StopTransaction');
  });
});
