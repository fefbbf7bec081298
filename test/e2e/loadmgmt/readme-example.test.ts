// README "Load management" example: runs its curl lines, as written, against a test server, so that the
// documented calls, paths and bodies stay those of the real API (issue 10). CP1 and CP2 stand for two booted
// chargers; a session runs on CP1 so that reading the allocation shows one.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { anIdTag, aStartTransaction } from '../../fixtures/chargers.ts';
import { eventually } from '../../helpers/wait.ts';

interface CurlCall {
  method: string;
  path: string;
  body?: unknown;
}

/** The curl lines of the README's load management example: `curl [-X METHOD] $API/path [-d 'json']`. */
function readmeCalls(): CurlCall[] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /<!-- load-management-example -->\n```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README: the load management example block is missing');
  return block[1]!.split('\n').filter((l) => l.startsWith('curl')).map((line) => {
    const m = /^curl(?: -X (\w+))? \$API(\S+)(?: -d '([^']*)')?/.exec(line);
    if (!m) throw new Error(`README: cannot read ${line}`);
    return { method: m[1] ?? 'GET', path: m[2]!, ...(m[3] === undefined ? {} : { body: JSON.parse(m[3]) }) };
  });
}

describe('e2e README load management example', () => {
  const t = useTestApp({ overrides: { 'loadManagement.debounceMs': 20 } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });

  it('should run every documented call successfully and read the allocation of the running session', async () => {
    // Arrange: two chargers standing for CP1 and CP2, each answering the load manager's profiles
    const chargers = [await aBootedCharger(t), await aBootedCharger(t)];
    for (const c of chargers) {
      open.push(c.client);
      for (const action of ['SetChargingProfile', 'ClearChargingProfile']) c.client.handle(action, async () => ({ status: 'Accepted' }));
    }
    const ids: Record<string, string> = { CP1: chargers[0]!.id, CP2: chargers[1]!.id };
    const calls = readmeCalls();

    // Act: the calls in order, a session starting on CP1 once the chargers are attached
    const answers = [];
    for (const call of calls) {
      if (call.path === '/load-groups/2/price-curve' && call.method === 'GET') {
        const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
        await chargers[0]!.client.call('StartTransaction', aStartTransaction(token.uid));
        await t.app.services.loadManager.run();
      }
      const path = call.path.replace(/CP[12]$/, (cp) => ids[cp]!);
      answers.push({ call, res: await t.api(call.method, `/api/v1${path}`, call.body) });
    }

    // Assert
    expect(calls.length).to.equal(7);
    for (const { call, res } of answers) expect(res.status, `${call.method} ${call.path}: ${JSON.stringify(res.body)}`).to.be.within(200, 299);
    expect(answers.slice(0, 2).map((a) => a.res.body.id)).to.deep.equal([1, 2]);
    const curve = answers[5]!.res.body;
    expect(curve).to.deep.include({ groupId: 1, isInherited: true, currency: 'EUR' });
    expect(curve.prices.length).to.be.greaterThan(1);
    const view = await eventually(async () => {
      const v = (await t.api('GET', '/api/v1/load-groups/2')).body;
      return v.sessions[0]?.status === 'Accepted' && v;
    }, 'the session\'s allocation');
    expect(view.sessions[0]).to.deep.include({ chargePointId: ids.CP1, limitA: 16 });
    expect(view.chargers.map((c: { chargePointId: string }) => c.chargePointId).sort()).to.deep.equal([ids.CP1, ids.CP2].sort());
    expect((await t.api('GET', '/api/v1/load-groups/1')).body).to.deep.include({ maxPowerKw: 40, limitA: 54.9 });
  });
});
