// Kept OCPI locations pages (issue 8): a node keeps a rendered page of GET /ocpi/2.2.1/locations while the
// database's change stamp is the one it was rendered under. Two nodes on one database: `kept` keeps pages, `fresh`
// keeps none (ocpi.locationsCacheMaxBytes 0). Every change a page shows, written to the database as another node
// or the CLI would, must reach the next page `kept` serves: each test compares it with `fresh`'s and with the page
// before the change (a kept page served after the change would equal that one).
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { aRegisteredPartner, tokenHeader } from '../../fixtures/partners.ts';
import { aLocationRow, anEvseRow, anOwnParty, toPartyHeaders } from '../../fixtures/ocpi-rows.ts';
import type { Party } from '../../../src/parties/party.repo.ts';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

const EMSP = { countryCode: 'DE', partyId: 'KPE' };

describe('e2e ocpi locations kept pages (issue 8)', () => {
  let tdb: TestDb;
  let kept: TestApp;
  let fresh: TestApp;
  let token: string;
  let partnerId: number;

  before(async () => {
    tdb = await createTestDb();
    kept = await startTestApp(tdb);
    fresh = await startTestApp(tdb, { overrides: { 'ocpi.locationsCacheMaxBytes': 0 } });
    const registered = await aRegisteredPartner(kept.db, EMSP);
    ({ token } = registered);
    partnerId = registered.partner.id;
  });
  after(async () => {
    await kept?.close();
    await fresh?.close();
    await tdb?.destroy();
  });

  const get = async (app: TestApp, party: Party, query: string): Promise<Answer> => {
    const res = await fetch(`${app.httpUrl}/ocpi/2.2.1/locations${query}`, { headers: { authorization: tokenHeader(token), ...toPartyHeaders(party) } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  // The Link names the node it came from: compared without its origin.
  const pagingOf = (a: Answer) => ({ total: a.headers.get('x-total-count'), limit: a.headers.get('x-limit'), link: a.headers.get('link')?.replace(/^<http:\/\/[^/]+/, '<') });

  /** The kept node's page after `change`, checked against the other node's; returns both pages' data. */
  async function pagesAround(party: Party, query: string, change: (db: Knex) => Promise<unknown>): Promise<{ before: unknown; after: unknown }> {
    const before = await get(kept, party, query);
    expect((await get(kept, party, query)).body.data, 'kept page served again').to.deep.equal(before.body.data);
    await change(kept.db);
    const after = await get(kept, party, query);
    const reference = await get(fresh, party, query);
    expect([after.body.data, pagingOf(after)]).to.deep.equal([reference.body.data, pagingOf(reference)]);
    return { before: before.body.data, after: after.body.data };
  }

  async function aSite(o: { publish?: boolean } = {}): Promise<{ party: Party; locationId: string; evseId: number; connectorFk: number }> {
    const party = await anOwnParty(kept.db);
    const locationId = await aLocationRow(kept.db, { partyFk: party.id, publish: o.publish });
    const { id: evseId, connectorFk } = await anEvseRow(kept.db, { locationId });
    return { party, locationId, evseId, connectorFk };
  }

  it('should serve a kept page with the same body, headers and a fresh timestamp, without reading the locations again', async () => {
    // Arrange: three locations, two a page
    const { party } = await aSite();
    await aLocationRow(kept.db, { partyFk: party.id });
    await aLocationRow(kept.db, { partyFk: party.id });
    const first = await get(kept, party, '?limit=2');
    const statements: string[] = [];
    const record = (q: { sql: string }) => statements.push(q.sql);
    kept.db.on('query', record);

    // Act
    const again = await get(kept, party, '?limit=2');
    kept.db.off('query', record);

    // Assert
    const reference = await get(fresh, party, '?limit=2');
    expect(again.body.data).to.have.length(2);
    expect([again.body.data, pagingOf(again), again.body.status_code]).to.deep.equal([first.body.data, pagingOf(first), 1000]);
    expect([again.body.data, pagingOf(again)]).to.deep.equal([reference.body.data, pagingOf(reference)]);
    expect(pagingOf(again)).to.include({ total: '3', limit: '2' });
    expect(again.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    expect(statements.filter((sql) => /\b(locations|evses|connectors)\b/.test(sql))).to.deep.equal([]);
  });

  it('should show a changed location', async () => {
    const { party, locationId } = await aSite();
    const { after } = await pagesAround(party, '', (db) => db('locations').where({ id: locationId }).update({ name: 'Renamed', last_updated: new Date() }));
    expect((after as any)[0].name).to.equal('Renamed');
  });

  it('should show an EVSE status change', async () => {
    const { party, evseId } = await aSite();
    const { before, after } = await pagesAround(party, '', (db) => db('evses').where({ id: evseId }).update({ status: 'CHARGING', last_updated: new Date() }));
    expect([(before as any)[0].evses[0].status, (after as any)[0].evses[0].status]).to.deep.equal(['AVAILABLE', 'CHARGING']);
  });

  it('should show a connector change (its general tariff_ids)', async () => {
    const { party, connectorFk } = await aSite();
    const { after } = await pagesAround(party, '', (db) => db('connectors').where({ id: connectorFk }).update({ tariff_ids: JSON.stringify(['TARIFF-2']) }));
    expect((after as any)[0].evses[0].connectors[0].tariff_ids).to.deep.equal(['TARIFF-2']);
  });

  it('locations §8.3.3: should show a tariff rule made for the requesting party only', async () => {
    // Arrange: a tariff of the location's party, assigned to the location for this eMSP party
    const { party, locationId } = await aSite();
    const tariffId = `KP-${party.partyId}`;
    await kept.db('tariffs').insert({ id: tariffId, party_fk: party.id, currency: 'EUR', elements: JSON.stringify([]), last_updated: new Date() });

    // Act
    const { before, after } = await pagesAround(party, '', (db) => db('tariff_assignments').insert({ tariff_id: tariffId, location_id: locationId, emsp_country_code: EMSP.countryCode, emsp_party_id: EMSP.partyId }));

    // Assert
    expect([(before as any)[0].evses[0].connectors[0].tariff_ids, (after as any)[0].evses[0].connectors[0].tariff_ids]).to.deep.equal([['TARIFF-1'], [tariffId]]);
  });

  it('locations §8.3.1: should drop a location no longer published, and count it no more', async () => {
    const { party, locationId } = await aSite();
    await aLocationRow(kept.db, { partyFk: party.id });
    const { before, after } = await pagesAround(party, '?limit=1', (db) => db('locations').where({ id: locationId }).update({ publish: false }));
    expect([(before as any)[0].id, (after as any)[0].id === locationId]).to.deep.equal([locationId, false]);
  });

  it('locations §8.3.1: should show an unpublished location once a token of the requesting party is allowed there', async () => {
    // Arrange: an unpublished location allowing one token uid
    const { party, locationId } = await aSite({ publish: false });
    await kept.db('locations').where({ id: locationId }).update({ publish_allowed_to: JSON.stringify([{ uid: `UID-${party.partyId}` }]) });

    // Act: the eMSP gives us that token
    const { before, after } = await pagesAround(party, '', (db) =>
      db('id_tokens').insert({ country_code: EMSP.countryCode, party_id: EMSP.partyId, uid: `UID-${party.partyId}`, type: 'RFID', contract_id: `DE-KPE-${party.partyId}`, issuer: 'KPE', partner_fk: partnerId }),
    );

    // Assert
    expect([before, (after as any).map((l: any) => l.id)]).to.deep.equal([[], [locationId]]);
  });

  it('locations §8.3.1: should page by Link through published and concerning unpublished locations as a node keeping nothing does', async () => {
    // Arrange: two published locations and, between them, an unpublished one allowing a token of the eMSP
    const party = await anOwnParty(kept.db);
    const uid = `UID-${party.partyId}-W`;
    await kept.db('id_tokens').insert({ country_code: EMSP.countryCode, party_id: EMSP.partyId, uid, type: 'RFID', contract_id: `DE-KPE-${party.partyId}W`, issuer: 'KPE', partner_fk: partnerId });
    const ids = [
      await aLocationRow(kept.db, { partyFk: party.id, createdAt: new Date('2026-01-01T00:00:00Z') }),
      await aLocationRow(kept.db, { partyFk: party.id, publish: false, createdAt: new Date('2026-01-02T00:00:00Z') }),
      await aLocationRow(kept.db, { partyFk: party.id, createdAt: new Date('2026-01-03T00:00:00Z') }),
    ];
    await kept.db('locations').where({ id: ids[1] }).update({ publish_allowed_to: JSON.stringify([{ uid }]) });
    const walk = async (app: TestApp) => {
      const pages = [await get(app, party, '?limit=1')];
      for (let link = pages[0]!.headers.get('link'); link; link = pages.at(-1)!.headers.get('link')) pages.push(await get(app, party, `?${/\?([^>]+)>/.exec(link)![1]}`));
      return pages.map((p) => [p.body.data.map((l: any) => l.id), pagingOf(p).total]);
    };

    // Act: the kept node walks twice (the second time from kept pages)
    const first = await walk(kept);

    // Assert
    expect(first).to.deep.equal([[[ids[0]], '3'], [[ids[1]], '3'], [[ids[2]], '3']]);
    expect([await walk(kept), await walk(fresh)]).to.deep.equal([first, first]);
  });

  it('transport §4.1.3: should keep X-Total-Count and Link right when a location is added', async () => {
    const { party } = await aSite();
    const { after } = await pagesAround(party, '?limit=1', (db) => aLocationRow(db, { partyFk: party.id }));
    expect(after).to.have.length(1);
    const again = await get(kept, party, '?limit=1');
    expect(pagingOf(again).total).to.equal('2');
    expect(pagingOf(again).link).to.match(/^<\/ocpi\/2\.2\.1\/locations\?offset=1&limit=1&after=/);
  });

  it('transport §4.1.3.2: should answer a date_from query kept before an EVSE update with the location updated since', async () => {
    // Arrange: a location and its EVSE last updated in January
    const party = await anOwnParty(kept.db);
    const jan = new Date('2026-01-01T00:00:00Z');
    const locationId = await aLocationRow(kept.db, { partyFk: party.id, lastUpdated: jan });
    const { id: evseId } = await anEvseRow(kept.db, { locationId, lastUpdated: jan, connectorLastUpdated: jan });

    // Act: the EVSE updated in March
    const query = '?date_from=2026-02-01T00:00:00Z';
    const { before, after } = await pagesAround(party, query, (db) => db('evses').where({ id: evseId }).update({ last_updated: new Date('2026-03-01T00:00:00Z') }));

    // Assert
    expect([before, (after as any).map((l: any) => l.id)]).to.deep.equal([[], [locationId]]);
  });
});
