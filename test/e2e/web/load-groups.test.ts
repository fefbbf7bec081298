// The dashboard's load-groups page in a real browser (issue 11): an operator opens the capacity tree, adds a
// simulated charger to a group below a site, and sees the session that charger starts get its allocation
// (the limit sent, the charger's answer) and the measured draw per phase, without reloading. A screenshot of
// the page goes to test-output/screenshots/.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { buildWebApps, CHROMIUM, hasChromium, launchBrowser, SCREENSHOT_DIR, type TestBrowser } from '../../helpers/browser.ts';
import { allIdTags, registerFleet } from '../../../src/simulator/index.ts';
import { aFleet } from '../../fixtures/simulator.ts';

const PASSWORD = 'a long enough password';
const EV_3P = { spec: { maxCurrentA: 16, phases: 3, batteryWh: 100_000 }, socPct: 20 };

describe('e2e web: the load-groups page in Chromium', function () {
  this.timeout(120_000); // a browser, a simulated charger and the load manager share a busy machine
  const t = useTestApp({ overrides: { 'loadManagement.debounceMs': 100 } });
  let browser: TestBrowser;

  before(async function () {
    if (!hasChromium()) {
      // eslint-disable-next-line no-console -- a skipped suite must say why
      console.warn(`      skipped: no ${CHROMIUM} (apt-get install -y chromium)`);
      this.skip();
    }
    buildWebApps();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  async function created(path: string, body: object): Promise<any> {
    const res = await t.api('POST', `/api/v1${path}`, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  it('should show a session of a charger added to a group with its allocation and the measured draw per phase', async () => {
    // Arrange: a site of 32 A with a bay of 20 A below it, a simulated charger online, an admin signed in
    const fleet = aFleet(t, { maxCurrentA: 16, meterIntervalSec: 0.3 });
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey });
    fleet.start();
    await fleet.whenOnline();
    const charger = fleet.chargers[0]!;
    const site = await created('/load-groups', { name: 'Depot grid', maxCurrentA: 32, phases: 3, marginA: 2 });
    const bay = await created('/load-groups', { name: 'Bay A', parentId: site.id, maxCurrentA: 20, phases: 3 });
    const email = `admin-${Math.random().toString(36).slice(2, 8)}@example.com`;
    await created('/operators', { email, role: 'admin', password: PASSWORD });
    const { page } = browser;
    await page.goto(`${t.httpUrl}/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Act 1: open the tree down to the bay and add the charger there with the form
    await page.getByRole('link', { name: 'Load groups' }).click();
    await page.getByRole('button', { name: 'Depot grid' }).click();
    await page.getByRole('button', { name: 'Bay A' }).click();
    const bayView = page.getByTestId(`load-group-${bay.id}`);
    await bayView.getByLabel('Charger id').fill(charger.id);
    await bayView.getByRole('button', { name: 'Add charger' }).click();
    await bayView.locator(`li[data-member="${charger.id}"]`).waitFor();

    // Act 2: a car arrives at the charger
    await charger.startSession(1, allIdTags(fleet.options)[0]!, EV_3P);

    // Assert: the session appears with the limit the load manager sent and the charger's answer, and the bay's
    // measured draw follows, all without a reload (the page polls)
    const row = bayView.locator('tr[data-session]');
    await row.getByText(/ A × 3 \(Accepted\)$/).waitFor();
    const { limitA } = (await t.api('GET', `/api/v1/load-groups/${bay.id}`)).body.sessions[0];
    expect(await row.locator('td').nth(3).textContent()).to.equal(`${limitA} A × 3 (Accepted)`);
    await bayView.locator('tr[data-phase="L1"] td').nth(2).getByText(/^(1[0-6](\.\d)?) A$/).waitFor();
    expect(await row.locator('td').nth(1).textContent()).to.equal(charger.id);
    expect(await page.getByTestId(`load-group-${site.id}`).locator('tr[data-phase="L2"] td').first().textContent()).to.equal('30 A');
    await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-load-groups.png`, fullPage: true });

    // Act 3 + Assert: at phone width the page still reads (no horizontal scroll of the page itself)
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}dashboard-load-groups-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await fleet.stop();
  });
});
