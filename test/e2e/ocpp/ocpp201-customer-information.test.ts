// OCPP 2.0.1 N09/N10 (issue 12): GDPR requests through the admin API. cpms sends CustomerInformation with a
// stored requestId, keeps the station's NotifyCustomerInformation parts and shows the report once complete.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall } from '../../helpers/charger.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201 } from '../../fixtures/ocpp201.ts';

const ID_TOKEN = { idToken: 'CAFE0001', type: 'ISO14443' };
const aPart = (requestId: number, seqNo: number, data: string, tbc: boolean) => ({ requestId, seqNo, data, tbc, generatedAt: new Date().toISOString() });

describe('e2e OCPP 2.0.1 customer information', () => {
  const t = useTestApp();

  it('OCPP201 N09: should send CustomerInformation with a new requestId, keep the parts and show the report assembled by seqNo once the last came', async () => {
    // Arrange
    const { id, client } = await aBootedCharger201(t);
    const sent: any[] = [];
    client.handle('CustomerInformation', async ({ params }) => {
      sent.push(params);
      return { status: 'Accepted' };
    });

    // Act
    const created = await t.api('POST', `/api/v1/chargers/${id}/customer-information`, { report: true, clear: false, idToken: ID_TOKEN });
    const requestId = created.body.id;
    await client.call('NotifyCustomerInformation', aPart(requestId, 1, 'sessions: 3; ', true));
    const partial = await t.api('GET', `/api/v1/chargers/${id}/customer-information/${requestId}`);
    await client.call('NotifyCustomerInformation', aPart(requestId, 0, 'token CAFE0001; ', true));
    await client.call('NotifyCustomerInformation', aPart(requestId, 1, 'sessions: 3; ', true));
    await client.call('NotifyCustomerInformation', aPart(requestId, 2, 'last seen 2026-12-01', false));
    const done = await t.api('GET', `/api/v1/chargers/${id}/customer-information/${requestId}`);
    await client.close();

    // Assert
    expect([created.status, created.body.status, created.body.isComplete]).to.deep.equal([201, 'Accepted', false]);
    expect(sent).to.deep.equal([{ requestId, report: true, clear: false, idToken: ID_TOKEN }]);
    expect([partial.body.partsReceived, partial.body.isComplete, partial.body.data]).to.deep.equal([1, false, null]);
    expect([done.body.partsReceived, done.body.isComplete, done.body.data, done.body.customer]).to.deep.equal([3, true, 'token CAFE0001; sessions: 3; last seen 2026-12-01', { idToken: ID_TOKEN }]);
  });

  it('OCPP201 N10: should record the station\'s answer to a clear request named by customerIdentifier', async () => {
    const { id, client } = await aBootedCharger201(t);
    const sent: any[] = [];
    client.handle('CustomerInformation', async ({ params }) => {
      sent.push(params);
      return { status: 'Rejected' };
    });

    const created = await t.api('POST', `/api/v1/chargers/${id}/customer-information`, { report: false, clear: true, customerIdentifier: 'customer-42' });
    const shown = await t.api('GET', `/api/v1/chargers/${id}/customer-information/${created.body.id}`);
    await client.close();

    expect(sent).to.deep.equal([{ requestId: created.body.id, report: false, clear: true, customerIdentifier: 'customer-42' }]);
    expect([shown.status, shown.body.status, shown.body.clear, shown.body.report]).to.deep.equal([200, 'Rejected', true, false]);
  });

  it('should answer a NotifyCustomerInformation of an unknown requestId or another charger\'s request, and keep nothing', async () => {
    const a = await aBootedCharger201(t);
    const b = await aBootedCharger201(t);
    a.client.handle('CustomerInformation', async () => ({ status: 'Accepted' }));
    const created = await t.api('POST', `/api/v1/chargers/${a.id}/customer-information`, { report: true, clear: false, idToken: ID_TOKEN });

    const unknown = await b.client.call('NotifyCustomerInformation', aPart(987654, 0, 'x', false));
    const others = await b.client.call('NotifyCustomerInformation', aPart(created.body.id, 0, 'not yours', false));
    const shown = await t.api('GET', `/api/v1/chargers/${a.id}/customer-information/${created.body.id}`);
    const viaOther = await t.api('GET', `/api/v1/chargers/${b.id}/customer-information/${created.body.id}`);
    await Promise.all([a.client.close(), b.client.close()]);

    expect([unknown, others]).to.deep.equal([{}, {}]);
    expect([shown.body.partsReceived, viaOther.status]).to.deep.equal([0, 404]);
    expect(await t.db('customer_information_parts').whereIn('request_id', [created.body.id, 987654])).to.deep.equal([]);
  });

  it('should refuse CustomerInformation through the raw command route (400 naming the dedicated route) and send nothing', async () => {
    const { id, client } = await aBootedCharger201(t);
    const sent: unknown[] = [];
    client.handle('CustomerInformation', async ({ params }) => {
      sent.push(params);
      return { status: 'Accepted' };
    });

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/CustomerInformation`, { requestId: 5, report: true, clear: false, customerIdentifier: 'c-1' });
    await client.close();

    expect([res.status, sent]).to.deep.equal([400, []]);
    expect(res.body.error.message).to.contain('/customer-information');
    expect(await t.db('customer_information_requests').where({ charge_point_id: id })).to.deep.equal([]);
  });

  it('should answer 409 for a 1.6 charger, 404 for an unknown one, and 400 for a request naming no customer, two, asking nothing, or refused by the 2.0.1 schema', async () => {
    const v16 = await aBootedCharger(t);
    const v201 = await aBootedCharger201(t);
    const path = (id: string) => `/api/v1/chargers/${id}/customer-information`;

    const to16 = await t.api('POST', path(v16.id), { report: true, clear: false, idToken: ID_TOKEN });
    const unknown = await t.api('POST', path('NO-SUCH-CHARGER'), { report: true, clear: false, idToken: ID_TOKEN });
    const noCustomer = await t.api('POST', path(v201.id), { report: true, clear: false });
    const two = await t.api('POST', path(v201.id), { report: true, clear: false, idToken: ID_TOKEN, customerIdentifier: 'c' });
    const nothing = await t.api('POST', path(v201.id), { report: false, clear: false, customerIdentifier: 'c' });
    const notBool = await t.api('POST', path(v201.id), { report: 'yes', clear: false, customerIdentifier: 'c' });
    const badId = await t.api('GET', `${path(v201.id)}/abc`);
    const offSchema = await t.api('POST', path(v201.id), { report: true, clear: false, idToken: { idToken: 'x' } });
    await Promise.all([v16.client.close(), v201.client.close()]);

    expect([to16.status, unknown.status, noCustomer.status, two.status, nothing.status, notBool.status, badId.status, offSchema.status]).to.deep.equal([409, 404, 400, 400, 400, 400, 400, 400]);
    expect((await t.db('customer_information_requests').where({ charge_point_id: v16.id }).first()).status).to.equal('NotSent');
  });

  it('should answer a malformed NotifyCustomerInformation with a 2.0.1 CALLERROR and keep nothing', async () => {
    const { id, client } = await aBootedCharger201(t);
    client.handle('CustomerInformation', async () => ({ status: 'Accepted' }));
    const created = await t.api('POST', `/api/v1/chargers/${id}/customer-information`, { report: true, clear: false, idToken: ID_TOKEN });
    await client.close();
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

    const reply = await rawCall(sock, 'NotifyCustomerInformation', { requestId: created.body.id, seqNo: 0, generatedAt: new Date().toISOString() }, 'm1');
    await sock.close();

    expect(reply[2]).to.equal('OccurrenceConstraintViolation');
    expect(await t.db('customer_information_parts').where({ request_id: created.body.id })).to.deep.equal([]);
  });
});
