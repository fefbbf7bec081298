// `cpms simulate --register` (issue 8): the fleet is created through the bulk admin endpoints, a thousand
// rows per request, keeping what exists; not one request per charger and id tag.
import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Fleet } from '../../../src/simulator/index.ts';
import { registerFleet } from '../../../src/simulator/register.ts';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  rows: Array<Record<string, unknown>>;
}

/** An admin API stand-in that records each request and answers a bulk import with every row created, or `status`. */
async function anAdminApi(o: { status?: number; body?: object } = {}): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const rows = JSON.parse(text) as Seen['rows'];
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, rows });
      res.writeHead(o.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(o.body ?? { applied: true, created: rows.length - 1, existing: 1, failed: 0, results: [] }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`, seen };
}

const aFleetOf = (chargers: number) => new Fleet({ url: 'ws://127.0.0.1:1/ocpp', chargers, connectors: 2, idPrefix: 'SIMREG-', tokenPrefix: 'TREG-', password: 'simulated-password-1' });

describe('unit simulator register', () => {
  let api: Awaited<ReturnType<typeof anAdminApi>> | undefined;
  afterEach(async () => {
    api?.server.close();
    api = undefined;
  });

  it('should send the chargers and id tags in bulk requests of batchSize rows, keeping existing ones', async () => {
    // Arrange
    api = await anAdminApi();
    // Act
    const result = await registerFleet(aFleetOf(5), { apiUrl: api.url, apiKey: 'key-1', locationId: 'LOC-1', batchSize: 4 });
    // Assert
    expect(api.seen.map((s) => [s.method, s.url, s.rows.length, s.auth])).to.deep.equal([
      ['POST', '/api/v1/chargers/bulk?onExisting=skip', 4, 'Bearer key-1'],
      ['POST', '/api/v1/chargers/bulk?onExisting=skip', 1, 'Bearer key-1'],
      ['POST', '/api/v1/tokens/bulk?onExisting=skip', 4, 'Bearer key-1'],
      ['POST', '/api/v1/tokens/bulk?onExisting=skip', 4, 'Bearer key-1'],
      ['POST', '/api/v1/tokens/bulk?onExisting=skip', 2, 'Bearer key-1'],
    ]);
    expect(api.seen[0].rows[0]).to.deep.equal({ id: 'SIMREG-00001', password: 'simulated-password-1', locationId: 'LOC-1', evseUid: 'SIMREG-00001' });
    expect(result).to.deep.equal({ chargers: { created: 3, existing: 2 }, tokens: { created: 7, existing: 3 } });
  });

  it('should fail naming the first failed row when the server applied nothing', async () => {
    api = await anAdminApi({ status: 422, body: { applied: false, error: { message: '1 row(s) are invalid' }, results: [{ row: 0, id: 'SIMREG-00001', status: 'failed', error: 'locationId: location LOC-X not found' }] } });

    const registering = registerFleet(aFleetOf(1), { apiUrl: api.url, apiKey: 'key-1', locationId: 'LOC-X' });

    await registering.then(() => expect.fail('should have failed'), (err: Error) => expect(err.message).to.equal(`register: POST ${api!.url}/chargers/bulk answered 422: row 0 (SIMREG-00001): locationId: location LOC-X not found`));
  });
});
