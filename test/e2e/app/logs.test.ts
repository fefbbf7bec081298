// Logs under real traffic (issue 14): an access line per HTTP request carrying its request id, the charger id on
// every line written while a charger's OCPP message is handled, and no secret of the traffic (a charger's Basic
// auth password, an operator's password, the session token and API key) anywhere in the log.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../src/shared/logger.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { aBootNotification, aChargerId, aRegisteredCharger, aStatusNotification, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e logs', () => {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const t = useTestApp({ logger: createLogger('debug', { format: 'json', stream }) });
  const lines = () => chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

  it('should log each HTTP request once it is answered, with its method, path, status, duration and request id', async () => {
    const res = await fetch(`${t.httpUrl}/api/v1/chargers?limit=1`, { headers: { authorization: `Bearer ${t.adminKey}`, 'x-request-id': 'req-logs-1' } });

    expect(res.headers.get('x-request-id')).to.equal('req-logs-1');
    const line = await eventually(async () => lines().find((l) => l.requestId === 'req-logs-1' && l.module === 'http'), 'the access line');
    expect(line).to.include({ level: 'info', method: 'GET', path: '/api/v1/chargers', status: 200, message: 'GET /api/v1/chargers 200' });
    expect(line.ms).to.be.a('number');
  });

  it('should give a request without an id a new one, in the answer and the log line', async () => {
    const res = await fetch(`${t.httpUrl}/api/v1/no-such-route`, { headers: { authorization: `Bearer ${t.adminKey}` } });

    const id = res.headers.get('x-request-id');
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    const line = await eventually(async () => lines().find((l) => l.requestId === id && l.module === 'http'), 'the access line');
    expect(line).to.include({ status: 404, path: '/api/v1/no-such-route' });
  });

  it('should carry the charger id on every line of its OCPP traffic and keep every secret out of the log', async () => {
    // Arrange: a charger with a password, an operator with a password and a login session
    const id = await aRegisteredCharger(t.app.services, { id: aChargerId('logs') });
    const operatorPassword = 'op-password-not-logged-9';
    const created = await t.api('POST', '/api/v1/operators', { email: 'logs@example.com', name: 'Logs', role: 'admin', password: operatorPassword });
    expect(created.status).to.equal(201);

    // Act
    const charger = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    await charger.call('BootNotification', aBootNotification());
    await charger.call('StatusNotification', aStatusNotification());
    await charger.close();
    const login = await t.api('POST', '/api/v1/auth/login', { email: 'logs@example.com', password: operatorPassword }, { key: null });
    expect(login.status).to.equal(200);
    await t.api('GET', '/api/v1/auth/me', undefined, { key: login.body.token });
    await t.api('POST', '/api/v1/auth/login', { email: 'logs@example.com', password: 'wrong-password-not-logged' }, { key: null });

    // Assert
    await eventually(async () => lines().some((l) => l.message === 'charger disconnected' && l.chargePointId === id), 'the disconnection line');
    const ocppLines = lines().filter((l) => l.module === 'ocpp');
    expect(ocppLines.length).to.be.greaterThan(1);
    for (const line of ocppLines) expect(line.chargePointId, JSON.stringify(line)).to.be.a('string');
    const text = chunks.join('');
    for (const secret of [CHARGER_PASSWORD, Buffer.from(`${id}:${CHARGER_PASSWORD}`).toString('base64'), operatorPassword, 'wrong-password-not-logged', login.body.token, t.adminKey]) {
      expect(text).to.not.include(secret);
    }
  });
});
