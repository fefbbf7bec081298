// OCPP 1.6 security whitepaper GetLog (issue 13): the admin API sends GetLog with a remoteLocation on cpms
// itself (a one-time token in the URL), the charger uploads its log there, LogStatusNotification moves the
// request's status, and the file is downloadable through the admin API.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';

describe('e2e OCPP 1.6 security GetLog with uploads to cpms', () => {
  const t = useTestApp({ overrides: { 'maintenance.logUploadMaxBytes': 2048 } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });

  async function aChargerAnsweringGetLog(answer: Record<string, unknown> = { status: 'Accepted', filename: 'security.log' }) {
    const booted = await aBootedCharger(t);
    open.push(booted.client);
    const asked: any[] = [];
    booted.client.handle('GetLog', async ({ params }: { params?: unknown }) => (asked.push(params), answer));
    return { ...booted, asked };
  }

  const upload = (url: string, body: BodyInit, o: { method?: string; contentType?: string } = {}) =>
    fetch(url, { method: o.method ?? 'PUT', body, headers: { 'content-type': o.contentType ?? 'application/octet-stream' } });

  async function download(id: number) {
    const res = await fetch(`${t.httpUrl}/api/v1/log-requests/${id}/file`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    return { status: res.status, text: await res.text(), disposition: res.headers.get('content-disposition') };
  }

  it('OCPP 1.6 security GetLog: should send a remoteLocation on cpms, store the upload, follow LogStatusNotification and serve the file', async () => {
    // Arrange
    const c = await aChargerAnsweringGetLog();

    // Act
    const created = await t.api('POST', '/api/v1/log-requests', { chargePointId: c.id, logType: 'SecurityLog', oldestTimestamp: '2026-12-01T00:00:00Z', retries: 1 });
    const remoteLocation: string = c.asked[0].log.remoteLocation;
    await c.client.call('LogStatusNotification', { status: 'Uploading', requestId: created.body.id });
    const uploaded = await upload(remoteLocation, 'line 1\nline 2\n');
    await c.client.call('LogStatusNotification', { status: 'Uploaded', requestId: created.body.id });
    const after = await t.api('GET', `/api/v1/log-requests/${created.body.id}`);
    const file = await download(created.body.id);

    // Assert
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ chargePointId: c.id, logType: 'SecurityLog', status: 'Accepted', fileName: 'security.log', sizeBytes: null });
    expect(c.asked).to.deep.equal([{ logType: 'SecurityLog', requestId: created.body.id, retries: 1, log: { remoteLocation, oldestTimestamp: '2026-12-01T00:00:00.000Z' } }]);
    expect(remoteLocation).to.match(new RegExp(`^${t.httpUrl}/uploads/logs/${created.body.id}/[\\w-]{32}$`));
    expect(uploaded.status).to.equal(201);
    expect(after.body).to.include({ status: 'Uploaded', sizeBytes: 14 });
    expect(file).to.deep.equal({ status: 200, text: 'line 1\nline 2\n', disposition: 'attachment; filename="security.log"' });
  });

  it('should take a multipart/form-data upload by POST with the part\'s file name', async () => {
    const c = await aChargerAnsweringGetLog({ status: 'Accepted' });
    const created = await t.api('POST', '/api/v1/log-requests', { chargePointId: c.id, logType: 'DiagnosticsLog' });
    const form = new FormData();
    form.append('file', new Blob(['diagnostics content']), 'diag-7.txt');

    const res = await fetch(c.asked[0].log.remoteLocation, { method: 'POST', body: form });

    expect(res.status).to.equal(201);
    expect((await t.api('GET', `/api/v1/log-requests/${created.body.id}`)).body).to.include({ fileName: 'diag-7.txt', sizeBytes: 19 });
    expect((await download(created.body.id)).text).to.equal('diagnostics content');
  });

  it('should refuse a wrong token (401), a second upload (409) and a file over the limit (413), and keep the first file', async () => {
    // Arrange
    const c = await aChargerAnsweringGetLog();
    const created = await t.api('POST', '/api/v1/log-requests', { chargePointId: c.id, logType: 'SecurityLog' });
    const url: string = c.asked[0].log.remoteLocation;
    const other = await t.api('POST', '/api/v1/log-requests', { chargePointId: c.id, logType: 'SecurityLog' });

    // Act
    const wrongToken = await upload(url.replace(/\/[^/]+$/, '/not-the-token'), 'x');
    const otherRequestsToken = await upload(url.replace(`/${created.body.id}/`, `/${other.body.id}/`), 'x');
    const unknownRequest = await upload(url.replace(`/${created.body.id}/`, '/999999/'), 'x');
    const tooLarge = await upload(url, 'x'.repeat(4096));
    const first = await upload(url, 'first');
    const second = await upload(url, 'second');

    // Assert
    expect([wrongToken.status, otherRequestsToken.status, unknownRequest.status, tooLarge.status, first.status, second.status]).to.deep.equal([401, 401, 401, 413, 201, 409]);
    expect((await download(created.body.id)).text).to.equal('first');
  });

  it('should record a refusal and an offline charger, 404 a file not uploaded, and refuse bad requests', async () => {
    const refusing = await aChargerAnsweringGetLog({ status: 'Rejected' });
    const offline = await aBootedCharger(t);
    await offline.client.close();

    const rejected = await t.api('POST', '/api/v1/log-requests', { chargePointId: refusing.id, logType: 'SecurityLog' });
    const notConnected = await t.api('POST', '/api/v1/log-requests', { chargePointId: offline.id, logType: 'DiagnosticsLog' });
    const bad = await Promise.all([
      t.api('POST', '/api/v1/log-requests', { chargePointId: refusing.id, logType: 'KernelLog' }),
      t.api('POST', '/api/v1/log-requests', { chargePointId: refusing.id }),
      t.api('POST', '/api/v1/log-requests', { chargePointId: refusing.id, logType: 'SecurityLog', oldestTimestamp: '2026-12-02T00:00:00Z', latestTimestamp: '2026-12-01T00:00:00Z' }),
      t.api('POST', '/api/v1/log-requests', { chargePointId: 'NO-SUCH-CP', logType: 'SecurityLog' }),
    ]);

    expect([rejected.body.status, notConnected.body.status]).to.deep.equal(['Rejected', 'Offline']);
    expect((await download(rejected.body.id)).status).to.equal(404);
    expect(bad.map((r) => r.status)).to.deep.equal([400, 400, 400, 404]);
    expect((await t.api('GET', `/api/v1/log-requests?chargePointId=${refusing.id}`)).body.data.map((r: any) => r.id)).to.deep.equal([rejected.body.id]);
  });

  it('should keep a LogStatusNotification that arrived before the GetLog answer was recorded', async () => {
    const booted = await aBootedCharger(t);
    open.push(booted.client);
    // The charger reports Uploading before it answers (its own CALL, answered by cpms first).
    booted.client.handle('GetLog', async ({ params }: { params?: any }) => {
      await booted.client.call('LogStatusNotification', { status: 'Uploading', requestId: params.requestId });
      return { status: 'Accepted', filename: 'early.log' };
    });

    const created = await t.api('POST', '/api/v1/log-requests', { chargePointId: booted.id, logType: 'SecurityLog' });

    expect(created.body).to.include({ status: 'Uploading', fileName: 'early.log' });
  });

  it('should ignore a LogStatusNotification naming another charger\'s request', async () => {
    const a = await aChargerAnsweringGetLog();
    const b = await aChargerAnsweringGetLog();
    const created = await t.api('POST', '/api/v1/log-requests', { chargePointId: a.id, logType: 'SecurityLog' });

    await b.client.call('LogStatusNotification', { status: 'UploadFailure', requestId: created.body.id });

    expect((await t.api('GET', `/api/v1/log-requests/${created.body.id}`)).body.status).to.equal('Accepted');
  });
});
