// The dashboard overview's admin routes (issue 11): GET /live/summary counts the network's EVSEs by what an
// operator looks for, GET /live/locations a page of locations with theirs.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aPricedAdhocSite } from '../../fixtures/web.ts';

describe('e2e web: overview API', () => {
  const t = useTestApp();

  it('should count an online charger available and then offline once it stops, in the summary and on its location', async () => {
    // Arrange
    const before = (await t.api('GET', '/api/v1/live/summary')).body;
    const site = await aPricedAdhocSite(t);
    await site.fleet.whenOnline();
    const locationCounts = async () => (await t.api('GET', `/api/v1/live/locations?limit=500`)).body.data.find((l: any) => l.id === site.locationId)?.counts;

    // Act
    const online = await eventually(async () => ((await locationCounts())?.available === 1 ? locationCounts() : undefined), 'the connector available');
    const summaryOnline = (await t.api('GET', '/api/v1/live/summary')).body;
    await site.fleet.stop();
    await t.db('charge_points').where({ id: site.chargerId }).update({ is_online: false });
    const offline = await locationCounts();

    // Assert
    expect(online).to.deep.equal({ total: 1, available: 1, charging: 0, faulted: 0, offline: 0 });
    expect(summaryOnline.available - before.available).to.equal(1);
    expect(offline).to.deep.equal({ total: 1, available: 0, charging: 0, faulted: 0, offline: 1 });
  });

  it('should refuse a bad page size with 400', async () => {
    expect((await t.api('GET', '/api/v1/live/locations?limit=0')).status).to.equal(400);
  });
});
