// Reservations as the CPO sees them: status derived at read time (Expired once expires_at has passed and
// nothing used it), the admin filters and paging, and which StartTransaction uses a reservation up.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import {
  countReservations, getReservation, listReservations, markReservationUsed, updateReservationStatus, upsertReservation, type ReservationInput,
} from '../../../src/commands/reservation.repo.ts';
import { NotFound } from '../../../src/shared/errors.ts';
import type { Party } from '../../../src/parties/party.repo.ts';
import type { Partner } from '../../../src/partners/partner.types.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aRegisteredPartner } from '../../fixtures/partners.ts';
import { anOwnParty } from '../../fixtures/ocpi-rows.ts';

const rand = () => randomBytes(4).toString('hex');
const T0 = new Date('2026-03-01T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('integration commands/reservation.repo', () => {
  const tdb = useTestDb();
  let partner: Partner;
  let party: Party;

  async function aChargePoint(): Promise<string> {
    const id = `CP-res-${rand()}`;
    await tdb.db('charge_points').insert({ id });
    return id;
  }

  async function aReservation(o: Partial<ReservationInput> & { chargePointId: string; status?: string }) {
    const { status, ...input } = o;
    const r = await upsertReservation(tdb.db, {
      partnerFk: partner.id, ocpiReservationId: `R-${rand()}`, locationId: `LOC-${rand()}`, evseUid: null, connectorNumber: 1, idTag: 'TAG1',
      tokenFk: null, authorizationReference: null, expiresAt: minutes(30), responseUrl: 'https://emsp.test/results/1', partyFk: party.id, emspParty: null, ...input,
    });
    if (status) await updateReservationStatus(tdb.db, r.id, status);
    return r;
  }

  before(async () => {
    ({ partner } = await aRegisteredPartner(tdb.db));
    party = await anOwnParty(tdb.db);
  });

  describe('status at a time', () => {
    it('OCPP16 §5.13: should show an Accepted reservation as Expired once its expires_at has passed', async () => {
      const cp = await aChargePoint();
      const r = await aReservation({ chargePointId: cp, status: 'Accepted' });

      expect((await getReservation(tdb.db, r.id, minutes(29))).status).to.equal('Accepted');
      expect((await getReservation(tdb.db, r.id, minutes(30))).status).to.equal('Expired');
    });

    it('should show a reservation the charger never confirmed (Requested) as Expired after expires_at', async () => {
      const r = await aReservation({ chargePointId: await aChargePoint() });

      expect((await getReservation(tdb.db, r.id, minutes(29))).status).to.equal('Requested');
      expect((await getReservation(tdb.db, r.id, minutes(31))).status).to.equal('Expired');
    });

    it('should keep a final status (Used, Cancelled, Occupied) after expires_at', async () => {
      const cp = await aChargePoint();
      const ids = [];
      for (const status of ['Used', 'Cancelled', 'Occupied']) ids.push((await aReservation({ chargePointId: cp, status })).id);

      const statuses = await Promise.all(ids.map(async (id) => (await getReservation(tdb.db, id, minutes(60))).status));

      expect(statuses).to.deep.equal(['Used', 'Cancelled', 'Occupied']);
    });

    it('should carry the addressed party and the routed eMSP party', async () => {
      const r = await aReservation({ chargePointId: await aChargePoint(), emspParty: { countryCode: 'NL', partyId: 'EMX' } });

      const found = await getReservation(tdb.db, r.id, T0);

      expect(found.ownParty).to.deep.equal({ countryCode: party.countryCode, partyId: party.partyId });
      expect(found.emspParty).to.deep.equal({ countryCode: 'NL', partyId: 'EMX' });
    });

    it('should throw NotFound for an unknown id', async () => {
      const err = await getReservation(tdb.db, 2_000_000_000, T0).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(NotFound);
    });
  });

  describe('list', () => {
    it('should filter by derived status, charger and partner, newest first, with the total', async () => {
      // Arrange
      const cp = await aChargePoint();
      const { partner: other } = await aRegisteredPartner(tdb.db);
      const live = await aReservation({ chargePointId: cp, status: 'Accepted', expiresAt: minutes(60) });
      const expired = await aReservation({ chargePointId: cp, status: 'Accepted', expiresAt: minutes(10) });
      const used = await aReservation({ chargePointId: cp, status: 'Used' });
      const ofOther = await aReservation({ chargePointId: cp, status: 'Accepted', partnerFk: other.id, expiresAt: minutes(60) });
      await aReservation({ chargePointId: await aChargePoint(), status: 'Accepted' });
      const at = minutes(20);
      const ids = async (f: Parameters<typeof listReservations>[1]) => (await listReservations(tdb.db, f)).map((r) => r.id);
      // Act / Assert
      expect(await ids({ chargePointId: cp, at, limit: 50, offset: 0 })).to.deep.equal([ofOther.id, used.id, expired.id, live.id]);
      expect(await ids({ chargePointId: cp, status: 'Accepted', at, limit: 50, offset: 0 })).to.deep.equal([ofOther.id, live.id]);
      expect(await ids({ chargePointId: cp, status: 'Expired', at, limit: 50, offset: 0 })).to.deep.equal([expired.id]);
      expect(await ids({ chargePointId: cp, partnerFk: other.id, at, limit: 50, offset: 0 })).to.deep.equal([ofOther.id]);
      expect(await ids({ chargePointId: cp, at, limit: 2, offset: 1 })).to.deep.equal([used.id, expired.id]);
      expect(await countReservations(tdb.db, { chargePointId: cp, status: 'Accepted', at })).to.equal(2);
      expect(await countReservations(tdb.db, { chargePointId: cp, at })).to.equal(4);
    });
  });

  describe('markReservationUsed', () => {
    it('OCPP16 §4.8: should make an Accepted reservation of that charger Used when a transaction starts before expiry', async () => {
      const cp = await aChargePoint();
      const r = await aReservation({ chargePointId: cp, status: 'Accepted' });

      const used = await markReservationUsed(tdb.db, { id: r.id, chargePointId: cp, startAt: minutes(5) });

      expect(used?.status).to.equal('Used');
      expect((await getReservation(tdb.db, r.id, minutes(5))).status).to.equal('Used');
    });

    it('should leave a reservation alone when the transaction is on another charger, after expiry, or the reservation is not Accepted', async () => {
      // Arrange
      const cp = await aChargePoint();
      const accepted = await aReservation({ chargePointId: cp, status: 'Accepted' });
      const cancelled = await aReservation({ chargePointId: cp, status: 'Cancelled' });
      const requested = await aReservation({ chargePointId: cp });
      // Act
      const results = [
        await markReservationUsed(tdb.db, { id: accepted.id, chargePointId: await aChargePoint(), startAt: minutes(5) }),
        await markReservationUsed(tdb.db, { id: accepted.id, chargePointId: cp, startAt: minutes(30) }),
        await markReservationUsed(tdb.db, { id: cancelled.id, chargePointId: cp, startAt: minutes(5) }),
        await markReservationUsed(tdb.db, { id: requested.id, chargePointId: cp, startAt: minutes(5) }),
      ];
      // Assert
      expect(results).to.deep.equal([undefined, undefined, undefined, undefined]);
      expect((await getReservation(tdb.db, accepted.id, minutes(5))).status).to.equal('Accepted');
    });
  });
});
