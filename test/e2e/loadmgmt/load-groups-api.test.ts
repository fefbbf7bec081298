// The load groups admin API (issue 10): the capacity tree, chargers attached to it (with the safe
// TxDefaultProfile they get, and the profiles cleared when they leave), the phase rotation the charger
// reports, unmanaged load and its over-draw alert, bad input answered 4xx with a message.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { eventually } from '../../helpers/wait.ts';
import { anIdTag, aStartTransaction } from '../../fixtures/chargers.ts';

describe('e2e load groups admin API', () => {
  const t = useTestApp({ overrides: { 'loadManagement.debounceMs': 20 } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });
  let n = 0;
  const aGroup = async (body: Record<string, unknown> = {}) => {
    const res = await t.api('POST', '/api/v1/load-groups', { name: `group-${++n}-${Date.now()}`, maxCurrentA: 32, phases: 3, ...body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  };

  /** A booted scripted charger recording the charging profile commands it gets. */
  async function aCharger() {
    const c = await aBootedCharger(t);
    open.push(c.client);
    const received: Array<{ action: string; params: any }> = [];
    for (const action of ['SetChargingProfile', 'ClearChargingProfile']) {
      c.client.handle(action, async ({ params }: { params?: unknown }) => {
        received.push({ action, params });
        return { status: 'Accepted' };
      });
    }
    c.client.handle('GetConfiguration', async () => ({ configurationKey: [{ key: 'ConnectorPhaseRotation', readonly: true, value: '0.RST,1.STR' }] }));
    return { ...c, received };
  }

  it('should create a tree, show a group and refuse bad input, unknown ids and the deletion of a parent', async () => {
    const site = await aGroup({ marginA: 2, schedule: [{ startsAt: '2026-01-01T00:00:00Z', maxCurrentA: 25 }] });
    const panel = await aGroup({ parentId: site.id, maxCurrentA: 16, phases: 1 });

    const shown = await t.api('GET', `/api/v1/load-groups/${site.id}`);
    expect(shown.status).to.equal(200);
    expect(shown.body).to.deep.include({ id: site.id, maxCurrentA: 32, phases: 3, marginA: 2, limitA: 23, chargers: [], sessions: [], measuredA: { L1: 0, L2: 0, L3: 0 } });
    expect((await t.api('GET', '/api/v1/load-groups')).body.data.map((g: any) => g.id)).to.include.members([site.id, panel.id]);
    expect((await t.api('GET', `/api/v1/load-groups?parentId=${site.id}`)).body.data.map((g: any) => g.id)).to.deep.equal([panel.id]);
    const roots = (await t.api('GET', '/api/v1/load-groups?parentId=none&limit=500')).body.data.map((g: any) => g.id);
    expect(roots).to.include(site.id).and.not.include(panel.id);
    const badFilter = await t.api('GET', '/api/v1/load-groups?parentId=top');
    expect(badFilter.status).to.equal(400);
    expect(badFilter.body.error.message).to.match(/parentId/);

    const bad = [
      await t.api('POST', '/api/v1/load-groups', { name: 'x', maxCurrentA: -1, phases: 3 }),
      await t.api('POST', '/api/v1/load-groups', { name: 'x', maxCurrentA: 32, phases: 2 }),
      await t.api('POST', '/api/v1/load-groups', { name: 'x', maxCurrentA: 32, phases: 3, parentId: 2147483000 }),
      await t.api('POST', '/api/v1/load-groups', { name: 'x', maxCurrentA: 32, phases: 3, schedule: [{ startsAt: 'soon', maxCurrentA: 1 }] }),
      await t.api('PATCH', `/api/v1/load-groups/${site.id}`, { parentId: panel.id }),
      await t.api('PUT', `/api/v1/load-groups/${site.id}/unmanaged-load`, { L1: 'lots' }),
    ];
    expect(bad.map((r) => r.status)).to.deep.equal([400, 400, 400, 400, 400, 400]);
    expect(bad[0].body.error.message).to.match(/maxCurrentA/);
    expect(bad[4].body.error.message).to.match(/cycle/);
    expect((await t.api('POST', '/api/v1/load-groups', { name: site.name, maxCurrentA: 32, phases: 3 })).status).to.equal(409);
    expect((await t.api('GET', '/api/v1/load-groups/2147483000')).status).to.equal(404);
    expect((await t.api('PUT', `/api/v1/load-groups/${site.id}/chargers/NO-SUCH-CP`, {})).status).to.equal(404);
    expect((await t.api('DELETE', `/api/v1/load-groups/${site.id}`)).status).to.equal(409);
    expect((await t.api('DELETE', `/api/v1/load-groups/${panel.id}`)).status).to.equal(204);
  });

  it('OCPP16 §3.13: should give an attached charger a safe TxDefaultProfile, take its ConnectorPhaseRotation and clear its profiles when detached', async () => {
    // Arrange
    const group = await aGroup({ maxCurrentA: 20 });
    const c = await aCharger();

    // Act: attached, then its configuration read through the admin API
    const attached = await t.api('PUT', `/api/v1/load-groups/${group.id}/chargers/${c.id}`, { maxCurrentA: 16 });
    const txDefault = await eventually(async () => c.received.find((r) => r.action === 'SetChargingProfile')?.params, 'the TxDefaultProfile');
    await t.api('POST', `/api/v1/chargers/${c.id}/commands/GetConfiguration`, { key: ['ConnectorPhaseRotation'] });
    const rotated = await eventually(async () => {
      const v = (await t.api('GET', `/api/v1/load-groups/${group.id}`)).body;
      return v.chargers[0]?.phaseRotation === 'STR' && v;
    }, 'the rotation the charger reported');
    const detached = await t.api('DELETE', `/api/v1/load-groups/${group.id}/chargers/${c.id}`);

    // Assert: its share of the group (alone in it: the whole 20 A), at load management's level
    expect(attached.status).to.equal(200);
    expect(attached.body).to.deep.include({ chargePointId: c.id, groupId: group.id, maxCurrentA: 16 });
    expect(txDefault).to.deep.equal({ connectorId: 0, csChargingProfiles: { chargingProfileId: 2_000_100_000, stackLevel: 2, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 20 }] } } });
    expect(rotated.chargers[0].phaseRotationSource).to.equal('charger');
    expect(detached.status).to.equal(204);
    expect(c.received.filter((r) => r.action === 'ClearChargingProfile').map((r) => r.params)).to.deep.equal([{ id: 2_000_100_000 }, { chargingProfilePurpose: 'TxProfile', stackLevel: 2 }]);
    expect((await t.api('DELETE', `/api/v1/load-groups/${group.id}/chargers/${c.id}`)).status).to.equal(404);
  });

  it('should keep the operator\'s phase rotation over the charger\'s', async () => {
    const group = await aGroup();
    const c = await aCharger();
    await t.api('PUT', `/api/v1/load-groups/${group.id}/chargers/${c.id}`, { phaseRotation: 'TRS' });

    await t.api('POST', `/api/v1/chargers/${c.id}/commands/GetConfiguration`, { key: ['ConnectorPhaseRotation'] });

    const v = (await t.api('GET', `/api/v1/load-groups/${group.id}`)).body;
    expect(v.chargers[0]).to.deep.include({ phaseRotation: 'TRS', phaseRotationSource: 'operator' });
  });

  it('should open a LOAD_LIMIT_EXCEEDED alert when a group draws above its limit (unmanaged load), and close it once it does not', async () => {
    const group = await aGroup();
    const alerts = async () => ((await t.api('GET', '/api/v1/alerts?kind=LOAD_LIMIT_EXCEEDED')).body.data as any[]).filter((a) => a.subject === `load-group:${group.id}`);

    const set = await t.api('PUT', `/api/v1/load-groups/${group.id}/unmanaged-load`, { L1: 40, source: 'measured' });
    const opened = await eventually(async () => (await alerts()).find((a) => a.closedAt === null), 'the alert');
    await t.api('PUT', `/api/v1/load-groups/${group.id}/unmanaged-load`, { L1: 10 });
    await eventually(async () => (await alerts()).every((a) => a.closedAt !== null), 'the alert closed');

    expect(set.body).to.deep.include({ unmanagedA: { L1: 40, L2: 0, L3: 0 }, unmanagedSource: 'measured' });
    expect(opened).to.deep.include({ severity: 'critical' });
    expect(opened.message).to.match(/40\.0 A on L1/);
    expect((await t.api('GET', `/api/v1/load-groups/${group.id}`)).body.measuredA).to.deep.equal({ L1: 10, L2: 0, L3: 0 });
  });

  it('should give a session its driver\'s group priority and the TxProfile of its allocation', async () => {
    // Arrange: a fleet group of priority 5 whose driver charges at a charger of a load group
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Fleet driver' })).body;
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag() });
    const fleetGroup = await t.api('POST', '/api/v1/groups', { name: `fleet-${driver.id}`, priority: 5 });
    await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`);
    await t.api('PUT', `/api/v1/groups/${fleetGroup.body.id}/members/${driver.id}`);
    const group = await aGroup({ maxCurrentA: 20 });
    const c = await aCharger();
    await t.api('PUT', `/api/v1/load-groups/${group.id}/chargers/${c.id}`, {});

    // Act
    const { transactionId } = (await c.client.call('StartTransaction', aStartTransaction(token.uid))) as { transactionId: number };
    await t.app.services.loadManager.run();

    // Assert
    expect(fleetGroup.body).to.deep.include({ priority: 5 });
    const demand = t.app.services.loadManager.lastAllocation()!.input.sessions.find((s) => s.sessionId === String(transactionId))!;
    expect(demand).to.deep.include({ priority: 5, nodeId: String(group.id), uncontrolled: false });
    const txProfile = c.received.find((r) => r.params.csChargingProfiles.chargingProfilePurpose === 'TxProfile')!.params;
    expect(txProfile).to.deep.include({ connectorId: 1 });
    expect(txProfile.csChargingProfiles).to.deep.include({ transactionId, chargingProfileKind: 'Absolute', stackLevel: 2 });
    expect(txProfile.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]).to.deep.include({ startPeriod: 0, limit: 20 });
    expect((await t.api('POST', '/api/v1/groups', { name: 'bad priority', priority: 1.5 })).status).to.equal(400);
  });

  it('should replace the schedule with a pushed forecast', async () => {
    const group = await aGroup();

    const res = await t.api('PUT', `/api/v1/load-groups/${group.id}/schedule`, { periods: [{ startsAt: '2030-01-01T12:00:00Z', maxCurrentA: 10 }, { startsAt: '2030-01-01T08:00:00Z', maxCurrentA: 20 }] });

    expect(res.status).to.equal(200);
    expect(res.body.schedule).to.deep.equal([{ startsAt: '2030-01-01T08:00:00.000Z', maxCurrentA: 20 }, { startsAt: '2030-01-01T12:00:00.000Z', maxCurrentA: 10 }]);
    expect((await t.api('PUT', `/api/v1/load-groups/${group.id}/schedule`, { periods: 'none' })).status).to.equal(400);
  });

  it('should hold the tighter of a group\'s A and kW limits (I = P / (phases × U)), in its schedule too, and refuse bad kW', async () => {
    // Arrange: 32 A but 11 kW on 3 × 230 V (15.9 A); from 2026-01-01 a period of 6.9 kW (10 A)
    const group = await aGroup({ maxCurrentA: 32, maxPowerKw: 11 });
    const at240 = await aGroup({ maxCurrentA: 32, maxPowerKw: 11, voltage: 240 });

    // Act
    const shown = await t.api('GET', `/api/v1/load-groups/${group.id}`);
    const scheduled = await t.api('PUT', `/api/v1/load-groups/${group.id}/schedule`, { periods: [{ startsAt: '2026-01-01T00:00:00Z', maxPowerKw: 6.9 }] });
    const afterSchedule = await t.api('GET', `/api/v1/load-groups/${group.id}`);
    const patched = await t.api('PATCH', `/api/v1/load-groups/${at240.id}`, { maxPowerKw: null });

    // Assert
    expect(shown.body).to.deep.include({ maxCurrentA: 32, maxPowerKw: 11, voltage: null, limitA: 15.9 });
    expect((await t.api('GET', `/api/v1/load-groups/${at240.id}`)).body).to.deep.include({ limitA: 32, maxPowerKw: null, voltage: 240 });
    expect(scheduled.body.schedule).to.deep.equal([{ startsAt: '2026-01-01T00:00:00.000Z', maxPowerKw: 6.9 }]);
    expect(afterSchedule.body.limitA).to.equal(10);
    expect(patched.status).to.equal(200);
    const bad = [
      await t.api('POST', '/api/v1/load-groups', { name: 'kw-bad', maxCurrentA: 32, phases: 3, maxPowerKw: 0 }),
      await t.api('POST', '/api/v1/load-groups', { name: 'kw-bad', maxCurrentA: 32, phases: 3, voltage: 5 }),
      await t.api('PUT', `/api/v1/load-groups/${group.id}/schedule`, { periods: [{ startsAt: '2026-01-01T00:00:00Z' }] }),
    ];
    expect(bad.map((r) => r.status)).to.deep.equal([400, 400, 400]);
    expect(bad.map((r) => r.body.error.message)).to.satisfy((m: string[]) => /maxPowerKw/.test(m[0]!) && /voltage/.test(m[1]!) && /maxCurrentA or maxPowerKw/.test(m[2]!));
  });
});

