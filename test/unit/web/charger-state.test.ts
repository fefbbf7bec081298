import { expect } from 'chai';
import { MAX_SAMPLES, reduceCharger, type ChargerState } from '../../../web/shared/charger-state.ts';

const idle: ChargerState = { online: true, connectors: [{ connectorId: 1, status: 'Available', errorCode: null }], session: null };

describe('web/shared/charger-state', () => {
  it('should follow connection events', () => {
    expect(reduceCharger(idle, { type: 'charger.offline' }).online).to.equal(false);
    expect(reduceCharger({ ...idle, online: false }, { type: 'charger.connected' }).online).to.equal(true);
  });

  it('should replace a connector status and add a new connector in order', () => {
    const s1 = reduceCharger(idle, { type: 'connector.status', connectorId: 2, status: 'Faulted', errorCode: 'GroundFailure' });
    const s2 = reduceCharger(s1, { type: 'connector.status', connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    expect(s2.connectors).to.deep.equal([{ connectorId: 1, status: 'Charging', errorCode: 'NoError' }, { connectorId: 2, status: 'Faulted', errorCode: 'GroundFailure' }]);
  });

  it('OCPP16 §4.9 StatusNotification: should not show connectorId 0 (the charger itself) as a connector', () => {
    expect(reduceCharger(idle, { type: 'connector.status', connectorId: 0, status: 'Available' })).to.equal(idle);
  });

  it('should collect a session\'s samples and drop them when it stops', () => {
    const started = reduceCharger(idle, { type: 'session.started', sessionId: 7, connectorId: 1, kWh: 0, powerW: null, occurredAt: '2026-01-01T10:00:00Z' });
    const updated = reduceCharger(started, { type: 'session.updated', sessionId: 7, connectorId: 1, kWh: 1.5, powerW: 11000, occurredAt: '2026-01-01T10:05:00Z' });
    const stopped = reduceCharger(updated, { type: 'session.stopped', sessionId: 7 });
    expect(updated.session).to.deep.equal({ sessionId: 7, connectorId: 1, kWh: 1.5, powerW: 11000, samples: [
      { t: Date.parse('2026-01-01T10:00:00Z'), kWh: 0, powerW: null }, { t: Date.parse('2026-01-01T10:05:00Z'), kWh: 1.5, powerW: 11000 },
    ] });
    expect(stopped.session).to.equal(null);
  });

  it('should keep only the newest samples', () => {
    let s = idle;
    for (let i = 0; i < MAX_SAMPLES + 10; i++) s = reduceCharger(s, { type: 'session.updated', sessionId: 1, connectorId: 1, kWh: i, powerW: 1, occurredAt: new Date(i * 1000).toISOString() });
    expect([s.session!.samples.length, s.session!.samples[0]!.kWh]).to.deep.equal([MAX_SAMPLES, 10]);
  });

  it('should ignore the stop of another session and unknown events', () => {
    const charging = reduceCharger(idle, { type: 'session.started', sessionId: 7, connectorId: 1, kWh: 0, occurredAt: '2026-01-01T10:00:00Z' });
    expect(reduceCharger(charging, { type: 'session.stopped', sessionId: 8 })).to.equal(charging);
    expect(reduceCharger(charging, { type: 'alert.opened' })).to.equal(charging);
  });
});
