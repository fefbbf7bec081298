// CLI commands run inside the server (what its control socket does with a command): on the running
// app's database, services and address. `partner register` uses the running app, whose versions endpoint
// the partner calls back during the handshake: no second listen on the server's port.
import { expect } from 'chai';
import nock from 'nock';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { runInServer } from '../../helpers/cli-in-server.ts';
import { startEmspServer, type EmspServer } from '../../helpers/emsp-server.ts';

describe('e2e cpms commands run inside the running server', () => {
  before(() => nock.enableNetConnect('127.0.0.1')); // in case another file left nock refusing connections
  const t = useTestApp();
  let emsp: EmspServer;

  before(async () => {
    emsp = await startEmspServer({ countryCode: 'DE', partyId: 'CLS' });
  });
  after(async () => {
    await emsp?.close();
  });

  const inServer = (...args: string[]) => runInServer(t, ...args);

  it("should register with a partner from the running app: the partner fetches our versions at the server's address", async () => {
    const tokenA = emsp.issueTokenA();

    const res = await inServer('partner', 'register', '--versions-url', emsp.versionsUrl, '--token', tokenA);

    expect(res.code, res.lines.join('\n')).to.equal(0);
    expect(res.lines[0]).to.match(/^registered with partner \d+: DE\/CLS /);
    expect(emsp.peer!.versionsUrl).to.equal(`${t.httpUrl}/ocpi/versions`);
    expect(emsp.problems).to.deep.equal([]);
    const partners = await t.api('GET', '/api/v1/partners');
    expect(partners.body.data.map((p: { partyId: string; status: string }) => [p.partyId, p.status])).to.deep.include(['CLS', 'REGISTERED']);
  });

  it('should add a token the running services see at once, and refuse a duplicate with exit code 2', async () => {
    const added = await inServer('token', 'add', 'TAG-IN-SERVER-1', '--group', 'FLEET-S');
    const duplicate = await inServer('token', 'add', 'TAG-IN-SERVER-1');

    expect([added.code, added.lines]).to.deep.equal([0, ['token TAG-IN-SERVER-1 added (RFID, group FLEET-S)']]);
    expect([duplicate.code, duplicate.lines]).to.deep.equal([2, ['error: token TAG-IN-SERVER-1 already exists']]);
    const tokens = await t.api('GET', '/api/v1/tokens');
    expect(JSON.stringify(tokens.body)).to.include('TAG-IN-SERVER-1');
  });

  it('should run a job on the running scheduler, and refuse `serve` inside the server', async () => {
    const job = await inServer('job', 'run', 'authorization-cache-expiry');
    const serve = await inServer('serve');

    expect(job.code, job.lines.join('\n')).to.equal(0);
    const outcome = JSON.parse(job.lines.join('\n'));
    expect([outcome.status, outcome.run.status, outcome.run.node]).to.deep.equal(['ran', 'succeeded', t.app.nodeId]);
    expect([serve.code, serve.lines]).to.deep.equal([2, ['error: serve: the server is already running']]);
  });
});
