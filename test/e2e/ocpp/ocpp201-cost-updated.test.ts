// OCPP 2.0.1 I02/I03 (issue 12): the running total of a 2.0.1 transaction (incl. VAT, the driver app's cost so
// far) sent with CostUpdated by the cost-updated job, and the final total in the answer to the Ended event.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createRPCError } from 'ocpp-rpc';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aLocation, anEvseUid, aToken } from '../../fixtures/chargers.ts';
import { aBootedCharger201, anEnergyReading201, aTransactionEvent } from '../../fixtures/ocpp201.ts';

describe('e2e OCPP 2.0.1 CostUpdated', () => {
  const t = useTestApp();

  /** A 2.0.1 station at a location priced 0.50 EUR/kWh + 21 % VAT, with a transaction that has drawn `wh`. */
  async function aPricedTransaction(wh: number) {
    const locationId = await aLocation(t.app.services);
    const { id, client } = await aBootedCharger201(t, { locationId, evseUid: anEvseUid() });
    await t.api('PUT', `/api/v1/tariffs/T201-${locationId}`, { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 21, step_size: 1 }] }] });
    await t.api('POST', `/api/v1/tariffs/T201-${locationId}/assignments`, { locationId });
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    const t0 = Date.now() - 600_000;
    await client.call('TransactionEvent', aTransactionEvent(txId, { timestamp: new Date(t0).toISOString(), idToken: { idToken: uid, type: 'ISO14443' }, meterValue: anEnergyReading201(0, new Date(t0).toISOString(), 'Transaction.Begin') }));
    await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo: 1, timestamp: new Date(t0 + 300_000).toISOString(), meterValue: anEnergyReading201(wh, new Date(t0 + 300_000).toISOString()) }));
    return { id, client, txId, t0 };
  }

  it('OCPP201 I02/I03: should send the running total incl. VAT with CostUpdated and answer the Ended event with the final total', async () => {
    // Arrange
    const { client, txId, t0 } = await aPricedTransaction(2000);
    const received: unknown[] = [];
    client.handle('CostUpdated', async ({ params }) => {
      received.push(params);
      return {};
    });

    // Act
    const run = await t.app.scheduler.runNow('cost-updated');
    const ended: any = await client.call('TransactionEvent', aTransactionEvent(txId, { eventType: 'Ended', triggerReason: 'EVDeparted', seqNo: 2, timestamp: new Date(t0 + 540_000).toISOString(), transactionInfo: { transactionId: txId, stoppedReason: 'EVDisconnected' }, meterValue: anEnergyReading201(4000, new Date(t0 + 540_000).toISOString(), 'Transaction.End') }));
    const afterEnd = await t.app.scheduler.runNow('cost-updated');
    await client.close();

    // Assert: 2 kWh × 0.50 × 1.21 = 1.21; 4 kWh = 2.42; nothing sent once it ended
    expect(received).to.deep.equal([{ totalCost: 1.21, transactionId: txId }]);
    expect(ended.totalCost).to.equal(2.42);
    expect(run.status === 'ran' && run.run.counts).to.deep.include({ failed: 0 });
    expect(afterEnd.status).to.equal('ran');
    expect(received).to.have.length(1);
  });

  it('should count a station refusing CostUpdated (CALLERROR) as failed and go on with the others', async () => {
    const a = await aPricedTransaction(1000);
    const b = await aPricedTransaction(3000);
    a.client.handle('CostUpdated', async () => {
      throw createRPCError('NotImplemented', 'no display');
    });
    const atB: unknown[] = [];
    b.client.handle('CostUpdated', async ({ params }) => {
      atB.push(params);
      return {};
    });

    const run = await t.app.scheduler.runNow('cost-updated');
    await a.client.close();
    await b.client.close();

    // 3 kWh × 0.50 × 1.21 = 1.815, rounded to the currency's cents by the tariff engine
    expect(atB).to.deep.equal([{ totalCost: 1.82, transactionId: b.txId }]);
    expect(run.status === 'ran' && run.run.counts?.failed).to.be.at.least(1);
  });
});
