import { expect } from 'chai';
import { currencyDecimals, Decimal, maxDecimal, minDecimal } from '../../../src/shared/money.ts';

const d = (x: number | string): Decimal => Decimal.parse(x);

describe('shared/money Decimal', () => {
  const parses: { input: number | string; text: string }[] = [
    { input: 0.1, text: '0.1' },
    { input: '4.40', text: '4.4' },
    { input: -0.005, text: '-0.005' },
    { input: 1e-7, text: '0.0000001' },
    { input: '1.5e3', text: '1500' },
    { input: 12, text: '12' },
    { input: '-0', text: '0' },
  ];
  for (const c of parses) {
    it(`should parse ${JSON.stringify(c.input)} exactly as ${c.text}`, () => {
      expect(d(c.input).toString()).to.equal(c.text);
    });
  }

  for (const bad of ['', '.', 'abc', '1.2.3', '1e']) {
    it(`should reject ${JSON.stringify(bad)}`, () => {
      expect(() => d(bad)).to.throw(RangeError);
    });
  }

  it('should reject non-finite numbers', () => {
    expect(() => d(Number.NaN)).to.throw(RangeError);
    expect(() => d(Number.POSITIVE_INFINITY)).to.throw(RangeError);
  });

  it('should add without binary float error (0.1 + 0.2 = 0.3)', () => {
    expect(d(0.1).add(d(0.2)).toString()).to.equal('0.3');
  });

  it('should subtract and multiply exactly', () => {
    expect(d('10.00').sub(d('0.01')).toString()).to.equal('9.99');
    expect(d('1.9').mul(d('1.052')).toString()).to.equal('1.9988');
  });

  const rounds: { value: string; decimals: number; expected: string }[] = [
    { value: '4.997', decimals: 2, expected: '5' },
    { value: '2.875', decimals: 2, expected: '2.88' },
    { value: '2.8749999', decimals: 2, expected: '2.87' },
    { value: '-2.875', decimals: 2, expected: '-2.88' },
    { value: '0.5', decimals: 0, expected: '1' },
    { value: '1.25', decimals: 4, expected: '1.25' },
  ];
  for (const c of rounds) {
    it(`should round ${c.value} half-up to ${c.decimals} decimals as ${c.expected}`, () => {
      expect(d(c.value).round(c.decimals).toString()).to.equal(c.expected);
    });
  }

  it('should divide by an integer with half-up rounding at the requested scale', () => {
    expect(d(2).divInt(3, 4).toString()).to.equal('0.6667');
    expect(d('7.5').divInt(3600, 6).toString()).to.equal('0.002083');
    expect(() => d(1).divInt(0, 2)).to.throw(RangeError);
  });

  it('should round up with ceil', () => {
    expect(d('1.001').ceil(2).toString()).to.equal('1.01');
    expect(d('1.00').ceil(2).toString()).to.equal('1');
  });

  it('should compare values of different scales', () => {
    expect(d('1.10').compare(d('1.1'))).to.equal(0);
    expect(d('1.09').compare(d('1.1'))).to.equal(-1);
    expect(maxDecimal(d(1), d('1.5')).toString()).to.equal('1.5');
    expect(minDecimal(d(1), d('1.5')).toString()).to.equal('1');
  });

  it('should convert to a JS number for OCPI output', () => {
    expect(d('4.40').toNumber()).to.equal(4.4);
    expect(Decimal.fromInt(12).toNumber()).to.equal(12);
  });
});

describe('shared/money currencyDecimals', () => {
  const cases = [
    { currency: 'EUR', decimals: 2 },
    { currency: 'JPY', decimals: 0 },
    { currency: 'KWD', decimals: 3 },
    { currency: 'usd', decimals: 2 },
  ];
  for (const c of cases) {
    it(`should give ${c.decimals} minor-unit decimals for ${c.currency}`, () => {
      expect(currencyDecimals(c.currency)).to.equal(c.decimals);
    });
  }
});
