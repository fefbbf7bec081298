import { expect } from 'chai';
import { AUTOVACUUM_DEFAULTS, checkpointReason, upkeepActions, type TableActivity } from '../../../src/db/upkeep-policy.ts';

const quiet = (table: string, o: Partial<TableActivity> = {}): TableActivity => ({ table, estimatedRows: 0, liveRows: 0, deadRows: 0, modifiedSinceAnalyze: 0, insertedSinceVacuum: 0, xidAge: 1000, secondsSinceAnalyze: null, ...o });

describe('unit db: the embedded database upkeep policy (autovacuum rules)', () => {
  it('should do nothing for tables under every threshold', () => {
    // Act
    const actions = upkeepActions([quiet('public.a', { estimatedRows: 10_000, deadRows: 2050, modifiedSinceAnalyze: 1050, insertedSinceVacuum: 3000 })]);
    // Assert: 50 + 0.2 × 10,000 dead rows, 50 + 0.1 × 10,000 changes and 1,000 + 0.2 × 10,000 inserts are the limits
    expect(actions).to.deep.equal([]);
  });

  it('should vacuum a table with more dead rows than 50 plus a fifth of its rows', () => {
    // Act
    const [a] = upkeepActions([quiet('public.sessions', { estimatedRows: 10_000, deadRows: 2051 })]);
    // Assert
    expect(a).to.deep.equal({ table: 'public.sessions', vacuum: true, analyze: false, reasons: ['2051 dead rows'] });
  });

  it('should vacuum an append-only table after 1,000 plus a fifth of its rows were inserted', () => {
    // Act
    const actions = upkeepActions([quiet('public.meter_values', { estimatedRows: 10_000, insertedSinceVacuum: 3001 }), quiet('public.events', { estimatedRows: 10_000, insertedSinceVacuum: 3000 })]);
    // Assert
    expect(actions).to.deep.equal([{ table: 'public.meter_values', vacuum: true, analyze: false, reasons: ['3001 rows inserted'] }]);
  });

  it('should vacuum a large append-only table after 100,000 inserts rather than a fifth of its rows', () => {
    // Act: ten million rows: a fifth would be two million inserts
    const actions = upkeepActions([quiet('public.meter_values', { estimatedRows: 10_000_000, insertedSinceVacuum: 100_001 }), quiet('public.events', { estimatedRows: 10_000_000, insertedSinceVacuum: 100_000 })]);
    // Assert
    expect(actions).to.deep.equal([{ table: 'public.meter_values', vacuum: true, analyze: false, reasons: ['100001 rows inserted'] }]);
  });

  it('should analyze a table with more changes than 50 plus a tenth of its rows', () => {
    // Act
    const [a] = upkeepActions([quiet('public.charge_points', { estimatedRows: 10_000, modifiedSinceAnalyze: 1051 })]);
    // Assert
    expect(a).to.deep.equal({ table: 'public.charge_points', vacuum: false, analyze: true, reasons: ['1051 rows changed'] });
  });

  it('should analyze a table of more than 10,000 rows, as last estimated or as now counted, from a smaller sample (statistics target 10)', () => {
    // Act
    const actions = upkeepActions([
      quiet('public.meter_values', { estimatedRows: 10_001, modifiedSinceAnalyze: 20_000 }),
      quiet('public.events', { estimatedRows: 1000, liveRows: 400_000, modifiedSinceAnalyze: 399_000 }),
      quiet('public.sessions', { estimatedRows: 10_000, liveRows: 10_000, modifiedSinceAnalyze: 20_000 }),
    ]);
    // Assert
    expect(actions.map((a) => [a.table, a.statisticsTarget])).to.deep.equal([['public.meter_values', 10], ['public.events', 10], ['public.sessions', undefined]]);
  });

  it('should analyze a table at most once a minute, however fast it grows', () => {
    // Act
    const actions = upkeepActions([
      quiet('public.events', { estimatedRows: 1000, modifiedSinceAnalyze: 5000, secondsSinceAnalyze: 59.5 }),
      quiet('public.meter_values', { estimatedRows: 1000, modifiedSinceAnalyze: 5000, secondsSinceAnalyze: 60 }),
    ]);
    // Assert
    expect(actions.map((a) => [a.table, a.analyze])).to.deep.equal([['public.meter_values', true]]);
  });

  it('should count a never analyzed table (reltuples -1) as empty', () => {
    // Act
    const actions = upkeepActions([quiet('public.fresh', { estimatedRows: -1, modifiedSinceAnalyze: 51 }), quiet('public.tiny', { estimatedRows: -1, modifiedSinceAnalyze: 50 })]);
    // Assert
    expect(actions.map((a) => a.table)).to.deep.equal(['public.fresh']);
  });

  it('should vacuum a table whose oldest unfrozen transaction id is older than the freeze age, however quiet', () => {
    // Act
    const actions = upkeepActions([quiet('pg_catalog.pg_class', { xidAge: AUTOVACUUM_DEFAULTS.freezeMaxAge + 1 }), quiet('public.b', { xidAge: AUTOVACUUM_DEFAULTS.freezeMaxAge })]);
    // Assert
    expect(actions).to.deep.equal([{ table: 'pg_catalog.pg_class', vacuum: true, analyze: false, reasons: [`transaction id age ${AUTOVACUUM_DEFAULTS.freezeMaxAge + 1}`] }]);
  });

  it('should vacuum and analyze in one action, in the order the tables were given', () => {
    // Act
    const actions = upkeepActions([quiet('public.z', { insertedSinceVacuum: 5000, modifiedSinceAnalyze: 5000 }), quiet('public.a', { modifiedSinceAnalyze: 60 })]);
    // Assert
    expect(actions).to.deep.equal([
      { table: 'public.z', vacuum: true, analyze: true, reasons: ['5000 rows inserted', '5000 rows changed'] },
      { table: 'public.a', vacuum: false, analyze: true, reasons: ['60 rows changed'] },
    ]);
  });

  it('should take other limits when given', () => {
    // Act
    const actions = upkeepActions([quiet('public.a', { deadRows: 11 })], { ...AUTOVACUUM_DEFAULTS, vacuumThreshold: 10 });
    // Assert
    expect(actions.map((a) => a.vacuum)).to.deep.equal([true]);
  });

  describe('checkpoints (PGlite has no checkpointer)', () => {
    it('should checkpoint after 16 MB of WAL since the last checkpoint began', () => {
      // Act
      const reasons = [16 * 2 ** 20 - 1, 16 * 2 ** 20].map((bytes) => checkpointReason({ bytesSinceCheckpoint: bytes, secondsSinceCheckpoint: 10 }));
      // Assert
      expect(reasons).to.deep.equal([undefined, '16777216 bytes of WAL since the last checkpoint']);
    });

    it('should checkpoint five minutes after the last checkpoint when anything was written since', () => {
      // Act
      const reasons = [
        checkpointReason({ bytesSinceCheckpoint: 5000, secondsSinceCheckpoint: 299 }),
        checkpointReason({ bytesSinceCheckpoint: 5000, secondsSinceCheckpoint: 300.4 }),
        checkpointReason({ bytesSinceCheckpoint: 120, secondsSinceCheckpoint: 3600 }),
      ];
      // Assert: the last wrote nothing but its own checkpoint record
      expect(reasons).to.deep.equal([undefined, '300 s since the last checkpoint', undefined]);
    });
  });
});
