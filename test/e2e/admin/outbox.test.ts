// Admin API over the OCPI outbox: a CDR POST that can never be delivered (the eMSP dropped its cdrs
// endpoint) is DEAD and stays visible; after the eMSP's endpoint is back the operator retries it.
import { expect } from 'chai';
import nock from 'nock';
import { enqueuePush } from '../../../src/partners/outbox.repo.ts';
import { updatePartner } from '../../../src/partners/partner.repo.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aRegisteredPartner, anEmspEndpoints } from '../../fixtures/partners.ts';

const OK = { status_code: 1000, timestamp: '2026-01-01T00:00:00Z' };

describe('e2e admin API partners outbox', () => {
  const t = useTestApp({ nock: true });

  it('should show a DEAD CDR push and put it back to PENDING with POST .../retry, then deliver it', async () => {
    // Arrange: the eMSP has no cdrs RECEIVER any more, so the worker's pass makes the row DEAD
    const { partner } = await aRegisteredPartner(t.db);
    const origin = `https://${partner.partyId.toLowerCase()}.emsp.test`;
    await updatePartner(t.db, partner.id, { endpoints: anEmspEndpoints(`${origin}/ocpi/2.2.1`, ['locations']) });
    const rowId = await enqueuePush(t.db, { partnerFk: partner.id, module: 'cdrs', role: 'RECEIVER', method: 'POST', path: '', body: { id: 'CDR-E2E' }, objectKey: 'cdr:CDR-E2E' });
    await t.app.pushWorker.runOnce();
    const dead = await t.api('GET', `/api/v1/partners/${partner.id}/outbox?status=DEAD`);
    expect(dead.status).to.equal(200);
    expect(dead.body.data.map((r: { id: number; status: string }) => [r.id, r.status])).to.deep.equal([[rowId, 'DEAD']]);
    await updatePartner(t.db, partner.id, { endpoints: anEmspEndpoints(`${origin}/ocpi/2.2.1`) });
    const scope = nock(origin).post('/ocpi/2.2.1/cdrs', { id: 'CDR-E2E' }).reply(200, OK);
    // Act
    const retried = await t.api('POST', `/api/v1/partners/${partner.id}/outbox/${rowId}/retry`);
    await t.app.pushWorker.runOnce();
    // Assert
    expect(retried.status).to.equal(200);
    expect(retried.body).to.deep.include({ id: rowId, status: 'PENDING', attempts: 0 });
    const after = await t.api('GET', `/api/v1/partners/${partner.id}/outbox?status=DELIVERED`);
    expect(after.body.data.map((r: { id: number }) => r.id)).to.deep.equal([rowId]);
    expect(scope.isDone()).to.equal(true);
  });

  it('should answer 409 to a retry of a row that is not DEAD or CANCELLED, 404 to an unknown row, 400 to a bad id', async () => {
    const { partner } = await aRegisteredPartner(t.db);
    const rowId = await enqueuePush(t.db, { partnerFk: partner.id, module: 'locations', role: 'RECEIVER', method: 'PUT', path: '/DE/X/L', body: {}, objectKey: 'location:L' });

    const pending = await t.api('POST', `/api/v1/partners/${partner.id}/outbox/${rowId}/retry`);
    const unknown = await t.api('POST', `/api/v1/partners/${partner.id}/outbox/999999999/retry`);
    const bad = await t.api('POST', `/api/v1/partners/${partner.id}/outbox/x/retry`);

    expect([pending.status, unknown.status, bad.status]).to.deep.equal([409, 404, 400]);
    expect(pending.body.error.message).to.match(/PENDING/);
  });

  it('should refuse an unknown status filter with 400 naming the field and the statuses', async () => {
    const { partner } = await aRegisteredPartner(t.db);

    const res = await t.api('GET', `/api/v1/partners/${partner.id}/outbox?status=LOST`);

    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.equal('status: must be one of PENDING, SENDING, DELIVERED, DEAD, CANCELLED');
  });
});
