// The live events of a fleet's messages (issue 8): the events published in one turn of the event loop look
// their chargers' locations and their sessions' figures up together, one statement each, not one per event;
// and they are still stored in the order they were published.
import { expect } from 'chai';
import type { App } from '../../../src/app.ts';
import { listEventsAfter, maxEventId } from '../../../src/events/event.repo.ts';
import { SESSION_UPDATES_CHUNK } from '../../../src/events/event-recorder.service.ts';
import type { LiveEvent } from '../../../src/events/event.types.ts';
import type { TestDb } from '../../helpers/db.ts';
import { useAppOnTestDb } from '../../helpers/app.ts';
import { aChargerId, aLocation, aRegisteredCharger, aStartTransaction, aToken } from '../../fixtures/chargers.ts';

describe('integration events: EventRecorder lookups', () => {
  let t: TestDb;
  let app: App;

  useAppOnTestDb((db, a) => ((t = db), (app = a)));

  /** The SQL of the statements run while `act` runs and the recorder stores its events. */
  async function statementsOf(act: () => void): Promise<string[]> {
    const sql: string[] = [];
    const record = (q: { sql: string }) => void sql.push(q.sql);
    t.db.on('query', record);
    try {
      act();
      await app.eventRecorder.settled();
    } finally {
      t.db.off('query', record);
    }
    return sql;
  }

  /** The events stored after `afterId`, oldest first. */
  const storedAfter = (afterId: number): Promise<LiveEvent[]> => listEventsAfter(t.db, afterId, {}, 1000);

  async function aSession(): Promise<{ sessionId: number; chargePointId: string }> {
    const s = app.services;
    const chargePointId = await aRegisteredCharger(s, { locationId: await aLocation(s) });
    const { transactionId } = await s.sessions.start(chargePointId, aStartTransaction(await aToken(s)));
    return { sessionId: transactionId, chargePointId };
  }

  const aStatus = (chargePointId: string, connectorId = 1) => ({ chargePointId, connectorId, status: 'Available', errorCode: 'NoError', timestamp: new Date() });

  it("OCPP16 §4.9 StatusNotification: should store the connector.status events of one turn with their chargers' locations, looked up in one statement", async () => {
    // Arrange: chargers at two locations, one without a location, and one id no charger has
    const s = app.services;
    const [here, there] = [await aLocation(s), await aLocation(s)];
    const atHere = [await aRegisteredCharger(s, { locationId: here }), await aRegisteredCharger(s, { locationId: here })];
    const atThere = await aRegisteredCharger(s, { locationId: there });
    const nowhere = await aRegisteredCharger(s);
    const unknown = aChargerId('unknown');
    const published = [...atHere, atThere, nowhere, unknown, atHere[0]!].map((cp, i) => aStatus(cp, i + 1));
    await app.eventRecorder.settled();
    const after = await maxEventId(t.db);

    // Act
    const sql = await statementsOf(() => published.forEach((e) => app.events.emit('connector.status', e)));

    // Assert
    const stored = await storedAfter(after);
    expect(stored.map((e) => [e.type, e.chargePointId, e.data.connectorId, e.locationId])).to.deep.equal([
      ['connector.status', atHere[0], 1, here],
      ['connector.status', atHere[1], 2, here],
      ['connector.status', atThere, 3, there],
      ['connector.status', nowhere, 4, null],
      ['connector.status', unknown, 5, null],
      ['connector.status', atHere[0], 6, here],
    ]);
    expect(sql.filter((q) => /from "charge_points"/i.test(q))).to.have.length(1);
  });

  it('should store the session.started events of several sessions with their figures, looked up in one statement', async () => {
    // Arrange
    const sessions = [await aSession(), await aSession(), await aSession()];
    await app.eventRecorder.settled();
    const after = await maxEventId(t.db);

    // Act
    const sql = await statementsOf(() => sessions.forEach(({ sessionId }) => app.events.emit('session.started', { sessionId })));

    // Assert
    const stored = await storedAfter(after);
    expect(stored.map((e) => [e.type, e.chargePointId, e.data.sessionId])).to.deep.equal(sessions.map((x) => ['session.started', x.chargePointId, x.sessionId]));
    expect(sql.filter((q) => /from sessions s/i.test(q))).to.have.length(1);
  });

  it('should store the session.updated events of a large MeterValues batch in statements of SESSION_UPDATES_CHUNK sessions, one event per session in session order', async () => {
    // Arrange: one session more than a chunk holds
    const sessions: Array<{ sessionId: number; chargePointId: string }> = [];
    for (let i = 0; i <= SESSION_UPDATES_CHUNK; i++) sessions.push(await aSession());
    await app.eventRecorder.settled();
    const after = await maxEventId(t.db);

    // Act: published in reverse order, twice for one of them
    const sql = await statementsOf(() => [...sessions].reverse().concat(sessions[0]!).forEach(({ sessionId }) => app.events.emit('session.updated', { sessionId })));

    // Assert
    const stored = await storedAfter(after);
    expect(stored.map((e) => [e.type, e.chargePointId, e.data.sessionId])).to.deep.equal(sessions.map((x) => ['session.updated', x.chargePointId, x.sessionId]));
    expect(sql.filter((q) => /from sessions s/i.test(q))).to.have.length(2);
    expect(sql.filter((q) => /insert into "?events"?/i.test(q))).to.have.length(2);
  });

  it('should store the events of one turn in the order they were published, whichever lookup each waits for', async () => {
    // Arrange: charger, session and charger-less events interleaved, as a busy turn publishes them
    const [a, b] = [await aSession(), await aSession()];
    const alert = { alertId: 1, kind: 'test', severity: 'info', message: 'm', chargePointId: null, connectorId: null, sessionId: null };
    await app.eventRecorder.settled();
    const after = await maxEventId(t.db);

    // Act
    await statementsOf(() => {
      app.events.emit('connector.status', aStatus(a.chargePointId));
      app.events.emit('session.started', { sessionId: a.sessionId });
      app.events.emit('alert.opened', alert);
      app.events.emit('charger.connected', { chargePointId: b.chargePointId });
      app.events.emit('session.stopped', { sessionId: b.sessionId });
      app.events.emit('connector.status', aStatus(b.chargePointId));
    });

    // Assert
    const stored = await storedAfter(after);
    expect(stored.map((e) => [e.type, e.chargePointId])).to.deep.equal([
      ['connector.status', a.chargePointId],
      ['session.started', a.chargePointId],
      ['alert.opened', null],
      ['charger.connected', b.chargePointId],
      ['session.stopped', b.chargePointId],
      ['connector.status', b.chargePointId],
    ]);
  });
});
