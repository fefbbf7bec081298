// The web apps in a real browser (issue 11): an operator signs in, sees a simulated charger come online on
// the overview without reloading, sends it a command and sees the answer; a driver opens the charger's QR
// link, starts, watches the cost rise and stops; the operator finds the session's CDR. A viewer sees no
// command buttons. Screenshots of the main pages go to test-output/screenshots/.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { buildWebApps, CHROMIUM, hasChromium, launchBrowser, SCREENSHOT_DIR, type TestBrowser } from '../../helpers/browser.ts';
import { aPricedAdhocSite } from '../../fixtures/web.ts';

const PASSWORD = 'a long enough password';

describe('e2e web: dashboard and driver app in Chromium', function () {
  // A real browser, a fleet simulator and the app share the machine: slow on a busy CI host, so more than the default.
  this.timeout(120_000);
  const t = useTestApp();
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

  async function anOperator(role: string): Promise<string> {
    const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const res = await t.api('POST', '/api/v1/operators', { email, role, password: PASSWORD });
    if (res.status !== 201) throw new Error(`operator: ${res.status} ${JSON.stringify(res.body)}`);
    return email;
  }

  async function signIn(email: string): Promise<void> {
    const { page } = browser;
    await page.goto(`${t.httpUrl}/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Network overview' }).waitFor();
  }

  const shot = (name: string) => browser.page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png` });

  it('should show a charger coming online live, answer a command, let a driver charge from the QR link and show the CDR', async () => {
    // Arrange: an admin signed in on the overview, before the charger exists
    const { page, context } = browser;
    await signIn(await anOperator('admin'));

    // Act 1: a simulated charger is created and comes online; the overview shows it without a reload
    const site = await aPricedAdhocSite(t, { meterIntervalSec: 0.3 });
    const row = page.locator(`tr[data-charger="${site.chargerId}"]`);
    await row.getByText('online').waitFor();
    await page.locator(`tr[data-location="${site.locationId}"]`).waitFor();
    await page.locator('[data-count="available"] strong', { hasText: '1' }).waitFor();
    await shot('dashboard-overview');
    await page.getByRole('button', { name: `Show the chargers of ${site.locationId}` }).click();
    await page.getByRole('heading', { name: `Chargers at ${site.locationId}` }).waitFor();

    // Act 2: the charger page, a soft reset and the charger's answer
    await row.getByRole('link', { name: site.chargerId }).click();
    await page.getByTestId('charger-online').getByText('online').waitFor();
    await page.getByRole('button', { name: 'Soft reset' }).click();
    await page.getByTestId('command-answer').getByText('Reset: Accepted').waitFor();
    await shot('dashboard-charger');
    await page.locator('li[data-connector="1"]').getByText('Available').waitFor({ timeout: 20_000 });

    // Act 3: the driver opens the QR link on a phone-sized page, starts, watches the cost rise and stops
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${t.httpUrl}/app`);
    await phone.getByRole('link', { name: `Open ${site.evseUid}` }).waitFor();
    await phone.locator('.leaflet-interactive').first().waitFor();
    await phone.screenshot({ path: `${SCREENSHOT_DIR}app-finder.png` });
    await phone.goto(`${t.httpUrl}/app/evse/${encodeURIComponent(site.evseUid)}`);
    await phone.getByTestId('price').getByText('€0.35/kWh, €2.00/h after 2 h parking').waitFor();
    await phone.screenshot({ path: `${SCREENSHOT_DIR}app-evse.png` });
    await phone.getByRole('button', { name: 'Start charging' }).click();
    const cost = phone.getByTestId('cost');
    await phone.waitForFunction(() => Number(document.querySelector('[data-testid="cost"]')?.getAttribute('data-amount') || 0) > 0, undefined, { timeout: 30_000 });
    const first = Number(await cost.getAttribute('data-amount'));
    await phone.waitForFunction((prior) => Number(document.querySelector('[data-testid="cost"]')?.getAttribute('data-amount') || 0) > prior, first, { timeout: 30_000 });
    const risen = Number(await cost.getAttribute('data-amount'));
    await phone.screenshot({ path: `${SCREENSHOT_DIR}app-session.png` });
    await page.getByTestId('session-energy').waitFor();
    await phone.getByRole('button', { name: 'Stop charging' }).click();
    const finalCost = phone.getByTestId('final-cost');
    await finalCost.waitFor({ timeout: 30_000 });
    const billed = Number(await finalCost.getAttribute('data-amount'));
    await phone.screenshot({ path: `${SCREENSHOT_DIR}app-final.png` });
    await phone.close();

    // Act 4: the operator finds the session's CDR
    const cdr = await t.db('cdrs as d').join('sessions as s', 's.id', 'd.session_fk').where('s.charge_point_id', site.chargerId).first('d.cdr_id', 'd.total_cost_incl_vat');
    await page.getByRole('link', { name: 'CDRs' }).click();
    await page.getByRole('cell', { name: cdr.cdr_id }).waitFor();
    await shot('dashboard-cdrs');
    await site.fleet.stop();

    // Assert
    expect(risen).to.be.greaterThan(first);
    expect(billed).to.equal(Number(cdr.total_cost_incl_vat));
  });

  it('should show a viewer no command buttons on a charger page', async () => {
    // Arrange
    const { page } = browser;
    // No operator session left from an earlier test (the dashboard's session is its HttpOnly cookie): checking
    // for a Sign out button raced the page's first render, and a still signed-in page shows no sign-in form.
    await page.context().clearCookies();
    const site = await aPricedAdhocSite(t);
    await signIn(await anOperator('viewer'));

    // Act
    await page.goto(`${t.httpUrl}/dashboard/chargers/${encodeURIComponent(site.chargerId)}`);
    await page.getByRole('heading', { name: `Charger ${site.chargerId}` }).waitFor();
    await page.getByRole('heading', { name: 'Status history' }).waitFor();
    const buttons = await page.getByRole('button', { name: /reset|Remote|Unlock/ }).count();
    await site.fleet.stop();

    // Assert
    expect(buttons).to.equal(0);
    expect(await page.getByRole('link', { name: 'Audit log' }).count(), 'admin-only pages are not offered').to.equal(0);
  });

  it('should preview a tariff\'s price for a sample session and draw the analytics charts', async () => {
    // Arrange
    const { page } = browser;
    // No operator session left from an earlier test (the dashboard's session is its HttpOnly cookie): checking
    // for a Sign out button raced the page's first render, and a still signed-in page shows no sign-in form.
    await page.context().clearCookies();
    await signIn(await anOperator('operator'));

    // Act: 20 kWh at €0.35 + 21% VAT, 90 min charging and 60 min parking (parking priced only after 2 h)
    await page.getByRole('link', { name: 'Tariffs' }).click();
    await page.getByRole('button', { name: 'Preview price' }).click();
    const preview = await page.getByTestId('tariff-result').getByText(/^Total:/).textContent();
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('figure', { name: 'Energy and sessions' }).locator('canvas').waitFor();
    await page.getByRole('figure', { name: 'Revenue by currency' }).locator('canvas').waitFor();
    await page.getByRole('figure', { name: 'Availability' }).locator('canvas').waitFor();
    await shot('dashboard-analytics');

    // Assert
    expect(preview).to.equal('Total: 7 excl. VAT, 8.47 incl. VAT (EUR)');
  });

  it('should ask to sign in again when the session ends while the dashboard is open', async () => {
    // Arrange
    const { page } = browser;
    // No operator session left from an earlier test (the dashboard's session is its HttpOnly cookie): checking
    // for a Sign out button raced the page's first render, and a still signed-in page shows no sign-in form.
    await page.context().clearCookies();
    await signIn(await anOperator('viewer'));

    // Act: every session ends (as when an admin disables the account), then the operator opens another page.
    // The page's own requests (a refresh on a live event) may meet the ended session first and show the sign-in
    // form before the click, so the link is clicked only if it is still there: a locator's click would wait for
    // a link that is gone (it failed so once, under the load of two suites).
    await t.db('operator_sessions').delete();
    await page.evaluate(() => document.querySelector<HTMLElement>('a[href="/dashboard/sessions"]')?.click());

    // Assert
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('Email').count()).to.equal(1);
  });

  it('should show a driver group with its access rules and members', async () => {
    // Arrange
    const { page } = browser;
    const site = await aPricedAdhocSite(t, { start: false });
    await site.fleet.stop();
    const group = (await t.api('POST', '/api/v1/groups', { name: `Fleet ${site.locationId}` })).body;
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Ann Driver', email: 'ann@example.com' })).body;
    await t.api('PUT', `/api/v1/groups/${group.id}/members/${driver.id}`);
    await t.api('POST', `/api/v1/groups/${group.id}/rules`, { locationId: site.locationId, weekdays: [1, 2], startTime: '07:00', endTime: '19:00' });
    // No operator session left from an earlier test (the dashboard's session is its HttpOnly cookie): checking
    // for a Sign out button raced the page's first render, and a still signed-in page shows no sign-in form.
    await page.context().clearCookies();
    await signIn(await anOperator('viewer'));

    // Act
    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByRole('link', { name: String(group.id), exact: true }).click();
    const rule = page.getByRole('table', { name: 'Access rules' }).getByRole('row').nth(1);
    await rule.waitFor();

    // Assert
    expect(await rule.getByRole('cell').allTextContents()).to.deep.equal([`location ${site.locationId}`, 'Mon, Tue', '07:00–19:00', '—']);
    expect(await page.getByRole('listitem').filter({ hasText: 'Ann Driver' }).textContent()).to.equal('Ann Driver (ann@example.com)');
  });
  it('should let a signed-in driver start with its own card, stop, and see the session in its history', async () => {
    // Arrange: a driver with a card and a password the operator set, a charger online
    const site = await aPricedAdhocSite(t, { meterIntervalSec: 0.3 });
    await site.fleet.whenOnline();
    const email = `dana-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Dana Driver', email })).body;
    const token = await t.app.services.tokens.addLocal({ uid: `CARD${Math.random().toString(36).slice(2, 10).toUpperCase()}` });
    await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`);
    expect((await t.api('POST', `/api/v1/drivers/${driver.id}/password`, { password: PASSWORD })).status).to.equal(204);
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });

    // Act: sign in, open the charger, start with the card, stop on the account page
    await phone.goto(`${t.httpUrl}/app/signin`);
    await phone.getByLabel('Email').fill(email);
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByRole('heading', { name: 'Dana Driver' }).waitFor();
    await phone.goto(`${t.httpUrl}/app/evse/${encodeURIComponent(site.evseUid)}`);
    await phone.getByTestId('price').waitFor();
    await phone.getByRole('button', { name: 'Start with my card' }).click();
    await phone.getByRole('heading', { name: `Charging at ${site.evseUid}` }).waitFor({ timeout: 30_000 });
    await phone.screenshot({ path: `${SCREENSHOT_DIR}app-account-charging.png` });
    await phone.getByRole('button', { name: 'Stop charging' }).click();
    const billedRow = phone.locator('li[data-testid="history-row"]:not([data-cdr=""])');
    await billedRow.waitFor({ timeout: 30_000 });
    await phone.screenshot({ path: `${SCREENSHOT_DIR}app-account-history.png` });
    const cells = await Promise.all(['history-evse', 'history-card', 'history-cost', 'history-status'].map((id) => billedRow.getByTestId(id).textContent()));
    await phone.close();
    await site.fleet.stop();

    // Assert: the history row is the session of the card, with its CDR's cost
    const session = await t.db('sessions').where({ token_fk: token.id }).first();
    const cdr = await t.db('cdrs').where({ session_fk: session.id }).first();
    expect(cells[0]).to.equal(site.evseUid);
    expect(cells[1]).to.equal(token.uid);
    expect(cells[2]).to.contain(Number(cdr.total_cost_incl_vat).toFixed(2));
    expect(cells[3]).to.equal('completed');
  });
});
