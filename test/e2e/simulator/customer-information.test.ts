// OCPP 2.0.1 N09/N10 end to end (issue 12): the admin API asks a simulated 2.0.1 station what it holds about a
// customer; the station answers, reports in NotifyCustomerInformation parts, and cpms assembles the report.
import { expect } from 'chai';
import { registerFleet } from '../../../src/simulator/index.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aFleet, aLocationViaApi } from '../../fixtures/simulator.ts';

describe('e2e simulator: customer information of a 2.0.1 station', () => {
  const t = useTestApp();

  it('OCPP201 N09/N10: should report what the station holds about an idToken in parts, assembled by cpms', async () => {
    // Arrange
    const fleet = aFleet(t, { chargers: 1, protocol: 'ocpp2.0.1' });
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey, locationId: await aLocationViaApi(t), tokens: false });
    const [{ id }] = fleet.chargers;
    fleet.start();
    await fleet.whenOnline();
    const idToken = { idToken: 'GDPR-0001', type: 'ISO14443' };

    // Act
    const created = await t.api('POST', `/api/v1/chargers/${id}/customer-information`, { report: true, clear: true, idToken });
    let shown: any;
    await eventually(async () => {
      shown = (await t.api('GET', `/api/v1/chargers/${id}/customer-information/${created.body.id}`)).body;
      return shown.isComplete;
    }, 'the whole report');
    const summary = await fleet.stop();

    // Assert
    expect([created.status, created.body.status]).to.deep.equal([201, 'Accepted']);
    expect([shown.partsReceived, shown.data]).to.deep.equal([3, 'idToken GDPR-0001: local list none, authorization cache none, running transactions on EVSE none']);
    expect(summary.errors).to.equal(0);
  });
});
