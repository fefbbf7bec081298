// The operator sets whether a location is published and, when not, to the owners of which tokens it may be
// shown (OCPI 2.2.1 locations §8.3.1): POST /locations and PUT /locations/{id}/publication.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aLocation, aLocationId } from '../../fixtures/chargers.ts';

const place = { address: 'Stationsplein 1', city: 'Utrecht', country: 'NLD', latitude: '52.08930', longitude: '5.11020', timeZone: 'Europe/Amsterdam' };

describe('e2e admin API location publication', () => {
  const t = useTestApp();

  it('should create an unpublished location with the tokens it may be shown to, and show them as entered', async () => {
    const id = aLocationId();
    const allowed = [{ uid: '04A1B2C3', type: 'RFID' }, { groupId: 'RESIDENTS' }];

    const created = await t.api('POST', '/api/v1/locations', { id, ...place, publish: false, publishAllowedTo: allowed });
    const read = await t.api('GET', `/api/v1/locations/${id}`);

    expect([created.status, created.body.publish, created.body.publishAllowedTo]).to.deep.equal([201, false, allowed]);
    expect([read.body.publish, read.body.publishAllowedTo]).to.deep.equal([false, allowed]);
    expect((await t.db('locations').where({ id }).first()).publish_allowed_to).to.deep.equal([{ uid: '04A1B2C3', type: 'RFID' }, { group_id: 'RESIDENTS' }]);
  });

  it('should unpublish and publish again a location, dropping the list once published', async () => {
    const id = await aLocation(t.app.services);

    const off = await t.api('PUT', `/api/v1/locations/${id}/publication`, { publish: false, publishAllowedTo: [{ visualNumber: 'NL-X-1', issuer: 'eMSP X' }] });
    const on = await t.api('PUT', `/api/v1/locations/${id}/publication`, { publish: true });

    expect([off.status, off.body.publish, off.body.publishAllowedTo]).to.deep.equal([200, false, [{ visualNumber: 'NL-X-1', issuer: 'eMSP X' }]]);
    expect([on.status, on.body.publish, on.body.publishAllowedTo]).to.deep.equal([200, true, null]);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['a list on a published location', { publish: true, publishAllowedTo: [{ groupId: 'G' }] }, /^publishAllowedTo: may only be used when publish is false/],
    ['a uid without its type', { publish: false, publishAllowedTo: [{ uid: 'U' }] }, /^publishAllowedTo\[0\]\.type: required with uid$/],
    ['a missing publish flag', { publishAllowedTo: [] }, /^publish: must be true or false$/],
    ['an unknown field', { publish: false, publish_allowed_to: [] }, /^publish_allowed_to: unknown field/],
    ['a body that is not an object', [true], /^body: /],
  ];
  for (const [what, body, message] of bad) {
    it(`should refuse ${what} with 400 naming the field and change nothing`, async () => {
      const id = await aLocation(t.app.services);
      const before = await t.db('locations').where({ id }).first();

      const res = await t.api('PUT', `/api/v1/locations/${id}/publication`, body);

      expect(res.status).to.equal(400);
      expect(res.body.error.message).to.match(message);
      expect(await t.db('locations').where({ id }).first()).to.deep.equal(before);
    });
  }

  it('should answer 404 for an unknown location and refuse an unpublished location with a bad list at creation', async () => {
    const unknown = await t.api('PUT', `/api/v1/locations/${aLocationId()}/publication`, { publish: false });
    const id = aLocationId();
    const created = await t.api('POST', '/api/v1/locations', { id, ...place, publish: false, publishAllowedTo: [{ issuer: 'X' }] });

    expect([unknown.status, created.status]).to.deep.equal([404, 400]);
    expect(created.body.error.message).to.match(/^publishAllowedTo\[0\]: needs uid, visualNumber or groupId/);
    expect(await t.db('locations').where({ id })).to.deep.equal([]);
  });
});
