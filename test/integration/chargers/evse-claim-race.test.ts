// An EVSE holds the connectors of one charger (OCPI 2.2.1 locations §8.3.2: it charges one EV at a time).
// Two operators attaching two chargers to the same free EVSE at once must not both win: on the PostgreSQL
// server (DATABASE_URL) the two transactions really run concurrently; PGlite has one connection and runs
// them one after the other, where the same rule holds.
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { aLocation, aRegisteredCharger, anEvseUid } from '../../fixtures/chargers.ts';

describe('EVSE claimed by two chargers at once', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  it('should attach only one of two chargers to a free EVSE, the other getting Conflict, whatever the interleaving', async () => {
    const locationId = await aLocation(app.services);
    for (let round = 0; round < 8; round++) {
      // Arrange: a free EVSE (e.g. emptied earlier) and two chargers that reported connector 1
      const evseUid = anEvseUid();
      await t.db('evses').insert({ location_id: locationId, uid: evseUid });
      const chargers = [await aRegisteredCharger(app.services), await aRegisteredCharger(app.services)];
      for (const id of chargers) await app.services.connectors.configure(id, 1, { spec: {} });

      // Act
      const results = await Promise.allSettled(chargers.map((id) => app.services.chargers.attach(id, locationId, evseUid)));

      // Assert
      expect(results.map((r) => r.status).sort(), `round ${round}`).to.deep.equal(['fulfilled', 'rejected']);
      expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error).name).to.equal('Conflict');
      const onEvse = await t.db('connectors as c').join('evses as e', 'e.id', 'c.evse_fk').where('e.uid', evseUid).distinct('c.charge_point_id');
      expect(onEvse, `round ${round}`).to.have.length(1);
    }
  });
});
