// Webhooks (issue 9): CRUD through the admin API, alert events delivered to a real local HTTP server,
// signed (HMAC-SHA256 with a timestamp), retried with backoff, given up after maxAttempts, logged.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { verifySignature } from '../../../src/webhooks/signature.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { aStatusNotification } from '../../fixtures/chargers.ts';

const T0 = Date.parse('2026-08-01T10:00:00Z');
const SECRET = 'a-webhook-secret-of-some-length';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on port 0 that answers each request with the next status of `answers` (the last one repeats). */
async function aReceiver(): Promise<{ url: string; received: Received[]; answers: number[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const answers = [200];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answers.length > 1 ? answers.shift()! : answers[0]!;
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, answers, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('e2e webhooks', () => {
  const clock = fixedClock(new Date(T0));
  const t = useTestApp({ clock, overrides: { 'webhooks.maxAttempts': 3, 'webhooks.backoffBaseSec': 30 } });
  let receiver: Awaited<ReturnType<typeof aReceiver>>;
  beforeEach(async () => {
    receiver = await aReceiver();
    await t.db('webhooks').delete();
  });
  afterEach(() => receiver.close());

  const deliver = () => t.app.scheduler.runNow('webhook-delivery');
  const deliveriesOf = async (id: number) => (await t.api('GET', `/api/v1/webhooks/${id}/deliveries`)).body.data as any[];
  const aWebhook = async (body: Record<string, unknown>) => (await t.api('POST', '/api/v1/webhooks', { url: receiver.url, secret: SECRET, ...body })).body;
  const raise = (subject: string, kind = 'CONNECTOR_FAULT') => t.app.services.alerts.raise({ kind, severity: 'warning', subject, message: 'test' });

  it('should create, list, update and delete a webhook, show its secret only at creation and refuse bad input', async () => {
    // Act
    const created = await t.api('POST', '/api/v1/webhooks', { url: receiver.url, kinds: ['CONNECTOR_FAULT'], description: 'on-call' });
    const listed = await t.api('GET', '/api/v1/webhooks');
    const patched = await t.api('PATCH', `/api/v1/webhooks/${created.body.id}`, { enabled: false, kinds: null });
    const badUrl = await t.api('POST', '/api/v1/webhooks', { url: 'ftp://example.org' });
    const badKinds = await t.api('POST', '/api/v1/webhooks', { url: receiver.url, kinds: ['lower case'] });
    const shortSecret = await t.api('POST', '/api/v1/webhooks', { url: receiver.url, secret: 'short' });
    const removed = await t.api('DELETE', `/api/v1/webhooks/${created.body.id}`);
    const gone = await t.api('GET', `/api/v1/webhooks/${created.body.id}`);
    const removedAgain = await t.api('DELETE', `/api/v1/webhooks/${created.body.id}`);

    // Assert
    expect(created.status).to.equal(201);
    expect(created.body.secret).to.be.a('string').with.length.greaterThan(30);
    expect(listed.body.data).to.have.length(1);
    expect(listed.body.data[0]).to.not.have.property('secret');
    expect(listed.body.data[0]).to.include({ url: receiver.url, enabled: true, description: 'on-call' });
    expect(patched.body).to.include({ enabled: false, kinds: null });
    expect([badUrl.status, badKinds.status, shortSecret.status, removed.status, gone.status, removedAgain.status]).to.deep.equal([400, 400, 400, 204, 404, 404]);
  });

  it('should deliver an alert opened from a charger\'s StatusNotification, signed, to the webhooks whose kinds take it and that are enabled', async () => {
    // Arrange
    const faults = await aWebhook({ kinds: ['CONNECTOR_FAULT'] });
    const offline = await aWebhook({ kinds: ['CHARGER_OFFLINE'] });
    const disabled = await aWebhook({ enabled: false });
    const site = await aBootedChargerAtEvse(t);
    await site.client.call('StatusNotification', aStatusNotification({ status: 'Faulted', errorCode: 'GroundFailure', timestamp: clock.now().toISOString() }));
    await t.app.scheduler.runNow('alert-rules');
    await site.client.close();

    // Act
    await deliver();

    // Assert
    expect(receiver.received).to.have.length(1);
    const [{ headers, body }] = receiver.received;
    expect(verifySignature(SECRET, body, headers['x-cpms-signature'] as string, clock.now())).to.equal(true);
    expect(verifySignature('another-secret-of-some-length', body, headers['x-cpms-signature'] as string, clock.now())).to.equal(false);
    expect(headers['x-cpms-event']).to.equal('alert.opened');
    const payload = JSON.parse(body);
    expect(payload.type).to.equal('alert.opened');
    expect(payload.alert).to.include({ kind: 'CONNECTOR_FAULT', chargePointId: site.id, connectorId: 1, severity: 'critical' });
    const [log] = await deliveriesOf(faults.id);
    expect(log).to.include({ status: 'DELIVERED', attempts: 1, lastStatusCode: 200, event: 'alert.opened', id: Number(headers['x-cpms-delivery']) });
    expect([await deliveriesOf(offline.id), await deliveriesOf(disabled.id)]).to.deep.equal([[], []]);
  });

  it('should retry a refused delivery after its backoff, not before, with the same body', async () => {
    // Arrange: the receiver fails once
    const hook = await aWebhook({});
    receiver.answers.splice(0, 1, 500, 200);
    await raise('test:retry');

    const failedAt = clock.now().getTime();

    // Act
    await deliver();
    const [afterFailure] = await deliveriesOf(hook.id);
    await deliver(); // not due yet
    clock.advance(30_000);
    await deliver();
    const [afterRetry] = await deliveriesOf(hook.id);

    // Assert
    expect(afterFailure).to.include({ status: 'PENDING', attempts: 1, lastStatusCode: 500, lastError: 'answered HTTP 500' });
    expect(afterFailure.nextAttemptAt).to.equal(new Date(failedAt + 30_000).toISOString());
    expect(receiver.received).to.have.length(2);
    expect(receiver.received[1]!.body).to.equal(receiver.received[0]!.body);
    expect(afterRetry).to.include({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200, lastError: null });
  });

  it('should give a delivery up as FAILED after maxAttempts, list it by status, and queue it again when the operator retries it', async () => {
    // Arrange: the receiver always fails; backoff 30 s, 60 s
    const hook = await aWebhook({});
    receiver.answers.splice(0, 1, 503);
    await raise('test:failed');

    // Act
    await deliver();
    clock.advance(30_000);
    await deliver();
    clock.advance(60_000);
    await deliver();
    clock.advance(3_600_000);
    await deliver();
    const failed = (await t.api('GET', `/api/v1/webhooks/${hook.id}/deliveries?status=FAILED`)).body.data;
    receiver.answers.splice(0, 1, 200);
    const retried = await t.api('POST', `/api/v1/webhooks/${hook.id}/deliveries/${failed[0].id}/retry`);
    const retriedAgain = await t.api('POST', `/api/v1/webhooks/${hook.id}/deliveries/${failed[0].id}/retry`);
    await deliver();

    // Assert
    expect(failed).to.have.length(1);
    expect(failed[0]).to.include({ status: 'FAILED', attempts: 3, lastStatusCode: 503 });
    expect(failed[0].lastError).to.equal('gave up after 3 attempts: answered HTTP 503');
    expect(retried.body).to.include({ status: 'PENDING', attempts: 0 });
    expect(retriedAgain.status).to.equal(404);
    expect(receiver.received).to.have.length(4);
    expect((await deliveriesOf(hook.id))[0]).to.include({ status: 'DELIVERED' });
  });

  it('should deliver closing and acknowledgement events too, and nothing for an alert that stays as it is', async () => {
    // Arrange
    const hook = await aWebhook({});
    const alert = (await raise('test:lifecycle'))!;

    // Act
    await raise('test:lifecycle'); // already open: no event
    await t.api('POST', `/api/v1/alerts/${alert.id}/ack`, {});
    await t.app.services.alerts.close([alert.id]);
    await deliver();

    // Assert
    expect((await deliveriesOf(hook.id)).map((d) => d.event).reverse()).to.deep.equal(['alert.opened', 'alert.acknowledged', 'alert.closed']);
    expect(receiver.received.map((r) => r.headers['x-cpms-event']).sort()).to.deep.equal(['alert.acknowledged', 'alert.closed', 'alert.opened']);
  });

  it('should send a delivery at once once the worker is started (a running server), without waiting for the job', async () => {
    // Arrange
    const hook = await aWebhook({});
    t.app.webhookWorker.start();
    try {
      // Act
      await raise('test:kicked');
      await raise('test:kicked-too');

      // Assert
      await eventually(async () => receiver.received.length === 2, 'two deliveries received');
      await eventually(async () => (await deliveriesOf(hook.id)).every((d) => d.status === 'DELIVERED'), 'both recorded DELIVERED');
    } finally {
      await t.app.webhookWorker.stop();
    }
  });

  it('should not send a delivery queued before its webhook was disabled (FAILED at once), and send it when retried after enabling', async () => {
    // Arrange
    const hook = await aWebhook({});
    await raise('test:disabled');
    await t.api('PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: false });

    // Act
    await deliver();
    const [notSent] = await deliveriesOf(hook.id);
    await t.api('PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: true });
    await t.api('POST', `/api/v1/webhooks/${hook.id}/deliveries/${notSent.id}/retry`);
    await deliver();

    // Assert
    expect(notSent).to.include({ status: 'FAILED', lastError: 'webhook disabled: not sent', lastStatusCode: null });
    expect(receiver.received).to.have.length(1);
    expect((await deliveriesOf(hook.id))[0]).to.include({ status: 'DELIVERED' });
  });
});
