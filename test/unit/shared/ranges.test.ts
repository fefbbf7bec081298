import { expect } from 'chai';
import { InvalidInput } from '../../../src/shared/errors.ts';
import { checkInteger, INT4, parseTimestamp, REGISTER_WH } from '../../../src/shared/ranges.ts';

describe('unit shared/ranges', () => {
  describe('checkInteger', () => {
    const cases: Array<[string, number, { min: number; max: number }, boolean]> = [
      ['the int4 maximum', 2_147_483_647, INT4, true],
      ['one above int4', 2_147_483_648, INT4, false],
      ['the int4 minimum', -2_147_483_648, INT4, true],
      ['one below int4', -2_147_483_649, INT4, false],
      ['a register of 0 Wh', 0, REGISTER_WH, true],
      ['a negative register', -1, REGISTER_WH, false],
      ['a register beyond 2^53', 9_007_199_254_740_993, REGISTER_WH, false],
      ['1e300', 1e300, REGISTER_WH, false],
      ['a fraction', 1.5, INT4, false],
    ];
    for (const [name, value, range, ok] of cases) {
      it(`should ${ok ? 'accept' : 'refuse'} ${name}`, () => {
        if (ok) expect(checkInteger(value, 'n', range)).to.equal(value);
        else expect(() => checkInteger(value, 'n', range)).to.throw(InvalidInput, /^n: must be an integer from /);
      });
    }
  });

  describe('parseTimestamp', () => {
    const accepted: Array<[string, string]> = [
      ['2026-01-10T10:00:00Z', '2026-01-10T10:00:00.000Z'],
      ['2026-01-10T11:00:00+01:00', '2026-01-10T10:00:00.000Z'],
      // an unset charger clock, shifted by its zone: wrong, but a time
      ['1970-01-01T00:00:00+01:00', '1969-12-31T23:00:00.000Z'],
      ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
      // RFC 3339 §5.7 leap second
      ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.999Z'],
      ['2016-12-31T23:59:60.5+00:00', '2016-12-31T23:59:59.999Z'],
    ];
    for (const [raw, iso] of accepted) {
      it(`should read ${raw} as ${iso}`, () => {
        expect(parseTimestamp(raw, 'timestamp').toISOString()).to.equal(iso);
      });
    }
    for (const raw of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1899-12-31T23:59:59Z', 'yesterday', '', '2024-01-01T23:59:61Z']) {
      it(`should refuse ${JSON.stringify(raw)} naming the field`, () => {
        expect(() => parseTimestamp(raw, 'meterValue[0].timestamp')).to.throw(InvalidInput, /^meterValue\[0\]\.timestamp: /);
      });
    }
  });
});
