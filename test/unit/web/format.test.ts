import { expect } from 'chai';
import { connectorName, formatDuration, formatKwh, formatPower, locationTone, toCsv, toneOf } from '../../../web/shared/format.ts';

describe('web/shared/format', () => {
  it('should show durations as m:ss below an hour and h:mm:ss above', () => {
    expect([formatDuration(0), formatDuration(65), formatDuration(3723), formatDuration(-5)]).to.deep.equal(['0:00', '1:05', '1:02:03', '0:00']);
  });

  it('should show energy with 3 decimals and power without needless ones', () => {
    expect([formatKwh(1.23456), formatPower(22), formatPower(7.36)]).to.deep.equal(['1.235 kWh', '22 kW', '7.4 kW']);
  });

  const tones: [string | null, string][] = [['Available', 'ok'], ['Charging', 'busy'], ['SuspendedEV', 'busy'], ['Faulted', 'bad'], ['Unavailable', 'off'], ['OFFLINE', 'off'], ['OCCUPIED', 'busy'], [null, 'unknown']];
  for (const [status, tone] of tones) it(`OCPP16 §7.7: should colour ${status} as ${tone}`, () => expect(toneOf(status)).to.equal(tone));

  it('should colour a location by its worst state first, then free, then busy', () => {
    const c = (o: Partial<{ total: number; available: number; charging: number; faulted: number; offline: number }>) => ({ total: 2, available: 0, charging: 0, faulted: 0, offline: 0, ...o });
    expect([locationTone(c({ faulted: 1, available: 1 })), locationTone(c({ offline: 2 })), locationTone(c({ available: 1, charging: 1 })), locationTone(c({ charging: 2 })), locationTone(c({ total: 0 }))])
      .to.deep.equal(['bad', 'off', 'ok', 'busy', 'unknown']);
  });

  it('should quote CSV cells with commas, quotes and newlines (RFC 4180)', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x,y', b: 'say "hi"' }, { a: null, b: { n: 1 } }])).to.equal('a,b\r\n"x,y","say ""hi"""\r\n,"{""n"":1}"\r\n');
  });

  it('OCPI 2.2.1 locations §8.4.4: should name connector types as drivers know them', () => {
    expect([connectorName('IEC_62196_T2'), connectorName('IEC_62196_T2_COMBO'), connectorName('NEMA_5_20'), connectorName(null)]).to.deep.equal(['Type 2', 'CCS (Combo 2)', 'NEMA_5_20', 'connector']);
  });
});
