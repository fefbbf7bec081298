import { expect } from 'chai';
import { formatSse, matchesFilter, parseLastEventId, parseTypes } from '../../../src/events/event-filter.ts';
import { InvalidInput } from '../../../src/shared/errors.ts';

const anEvent = { type: 'connector.status' as const, chargePointId: 'CP1', locationId: 'LOC1' };

describe('unit events/event-filter', () => {
  it('should pass every event through an empty filter', () => {
    expect(matchesFilter({}, anEvent)).to.equal(true);
  });

  it('should require every given field to match, and the type to be one of those given', () => {
    expect(matchesFilter({ chargePointId: 'CP1', locationId: 'LOC1', types: ['session.started', 'connector.status'] }, anEvent)).to.equal(true);
    expect(matchesFilter({ chargePointId: 'CP2' }, anEvent)).to.equal(false);
    expect(matchesFilter({ locationId: 'LOC2' }, anEvent)).to.equal(false);
    expect(matchesFilter({ types: ['session.started'] }, anEvent)).to.equal(false);
    expect(matchesFilter({ locationId: 'LOC1' }, { ...anEvent, locationId: null })).to.equal(false);
  });

  it('should parse a comma-separated list of known types and refuse an unknown or empty one', () => {
    expect(parseTypes(undefined)).to.equal(undefined);
    expect(parseTypes('connector.status, session.stopped')).to.deep.equal(['connector.status', 'session.stopped']);
    expect(() => parseTypes('connector.status,bogus')).to.throw(InvalidInput, 'bogus');
    expect(() => parseTypes(',')).to.throw(InvalidInput);
  });

  it('should accept a non-negative integer Last-Event-ID and refuse anything else', () => {
    expect(parseLastEventId(undefined)).to.equal(undefined);
    expect(parseLastEventId('')).to.equal(undefined);
    expect(parseLastEventId('42')).to.equal(42);
    for (const bad of ['-1', '1.5', 'abc', '99999999999999999999']) expect(() => parseLastEventId(bad), bad).to.throw(InvalidInput);
  });

  it('HTML §9.2.6: should write an event as id, event and one data line, ended by a blank line', () => {
    // Arrange
    const e = { id: 7, ...anEvent, occurredAt: new Date('2026-01-01T00:00:00Z'), data: { status: 'Charging\nx' } };
    // Act
    const text = formatSse(e);
    // Assert
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).to.deep.equal(['id: 7', 'event: connector.status']);
    expect(JSON.parse(lines[2]!.slice('data: '.length))).to.deep.equal({ id: 7, type: 'connector.status', chargePointId: 'CP1', locationId: 'LOC1', occurredAt: '2026-01-01T00:00:00.000Z', status: 'Charging\nx' });
    expect(lines.slice(3)).to.deep.equal(['', '']);
  });
});
