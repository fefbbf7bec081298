// attachOcppServer on a real HTTP server (port 0): a handshake whose authentication finishes after the
// server began to stop gets 503 and no socket, and a connection its authentication claimed is handed back.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { attachOcppServer, type AuthDecision, type Handshake } from '../../../src/ocpp/server.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { handshakeStatus } from '../../helpers/charger.ts';

describe('unit ocpp/server attachOcppServer', () => {
  let http: Server;
  let url: string;
  before(async () => {
    http = createServer();
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  });
  after(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  it('should refuse with 503 a handshake admitted after stopAccepting, open no socket and hand its claim back', async () => {
    // Arrange: authentication waits until told
    const logger = createLogger('error');
    logger.silent = true;
    let admit!: (d: AuthDecision) => void;
    let authenticating!: () => void;
    const started = new Promise<void>((resolve) => (authenticating = resolve));
    const abandoned: Handshake[] = [];
    const opened: string[] = [];
    const endpoint = attachOcppServer(http, {
      path: '/ocpp',
      maxPayload: 65536,
      logger,
      authenticate: () => {
        authenticating();
        return new Promise((resolve) => (admit = resolve));
      },
      onConnection: (_ws, h) => opened.push(h.identity),
      onAbandoned: (h) => abandoned.push(h),
    });

    // Act
    const res = handshakeStatus({ ocppUrl: url }, 'CP-late', { password: 'some-password' });
    await started;
    endpoint.stopAccepting();
    admit({ ok: true, hasCredential: false, registrationStatus: 'Pending', claimed: true });
    const { status, headers } = await res;
    endpoint.close();

    // Assert
    expect([status, headers['retry-after']]).to.deep.equal([503, '5']);
    expect(opened).to.deep.equal([]);
    expect(abandoned.map((h) => h.identity)).to.deep.equal(['CP-late']);
  });

  it('should refuse with 503 a handshake whose authentication does not answer within authTimeoutMs, and abandon its late admission', async () => {
    // Arrange: authentication answers only when told, after the deadline
    const logger = createLogger('error');
    logger.silent = true;
    let admit!: (d: AuthDecision) => void;
    const abandoned: Handshake[] = [];
    const opened: string[] = [];
    const endpoint = attachOcppServer(http, {
      path: '/ocpp',
      maxPayload: 65536,
      logger,
      authTimeoutMs: 50,
      authenticate: () => new Promise((resolve) => (admit = resolve)),
      onConnection: (_ws, h) => opened.push(h.identity),
      onAbandoned: (h) => abandoned.push(h),
    });

    // Act
    const { status, headers } = await handshakeStatus({ ocppUrl: url }, 'CP-stalled', { password: 'some-password' });
    const beforeLate = abandoned.length;
    admit({ ok: true, hasCredential: true, registrationStatus: 'Accepted', claimed: true });
    await new Promise((resolve) => setImmediate(resolve));
    endpoint.close();

    // Assert
    expect([status, headers['retry-after']]).to.deep.equal([503, '5']);
    expect(opened).to.deep.equal([]);
    expect([beforeLate, abandoned.map((h) => h.identity)]).to.deep.equal([0, ['CP-stalled']]);
  });
});
