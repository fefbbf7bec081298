import { expect } from 'chai';
import { allIdTags, chargerId, idTag, protocolOf, resolveOptions } from '../../../src/simulator/options.ts';
import { Fleet, derivePassword } from '../../../src/simulator/index.ts';

const base = { url: 'ws://localhost:8080/ocpp', chargers: 3 };

describe('simulator/options', () => {
  it('should name chargers with the prefix and a padded number, and give each connector its own id tag', () => {
    const r = resolveOptions({ ...base, connectors: 2, firstIndex: 9 });
    expect([chargerId(r, 9), chargerId(r, 11)]).to.deep.equal(['SIM-00009', 'SIM-00011']);
    expect(allIdTags(r)).to.deep.equal(['TSIM-00009-1', 'TSIM-00009-2', 'TSIM-00010-1', 'TSIM-00010-2', 'TSIM-00011-1', 'TSIM-00011-2']);
  });

  it('should give every charger the fleet\'s OCPP version, or with mixed spread the 2.0.1 share evenly over the fleet', () => {
    const versions = (o: object) => Array.from({ length: 8 }, (_, i) => protocolOf(resolveOptions({ ...base, ...o }), i));
    expect(versions({})).to.deep.equal(Array(8).fill('ocpp1.6'));
    expect(versions({ protocol: 'ocpp2.0.1' })).to.deep.equal(Array(8).fill('ocpp2.0.1'));
    expect(versions({ protocol: 'mixed' }).join(' ')).to.equal('ocpp1.6 ocpp2.0.1 '.repeat(4).trim());
    expect(versions({ protocol: 'mixed', ocpp201Share: 0.25 }).filter((v) => v === 'ocpp2.0.1')).to.have.length(2);
    expect(new Fleet({ ...base, chargers: 2, protocol: 'mixed' }).chargers.map((c) => [c.protocol, c.station.constructor.name])).to.deep.equal([['ocpp1.6', 'Ocpp16Station'], ['ocpp2.0.1', 'Ocpp201Station']]);
  });

  it('should hand out given id tags in turn', () => {
    const r = resolveOptions({ ...base, tokens: ['A', 'B'] });
    expect([idTag(r, 0, 1), idTag(r, 1, 1), idTag(r, 2, 1), allIdTags(r)]).to.deep.equal(['A', 'B', 'A', ['A', 'B']]);
  });

  it('should refuse bad options with a message naming the option', () => {
    const bad: Array<[object, RegExp]> = [
      [{ url: 'http://x/ocpp' }, /^url: /],
      [{ chargers: 0 }, /^chargers: /],
      [{ protocol: 'ocpp2.1' }, /^protocol: must be one of ocpp1.6, ocpp2.0.1, mixed/],
      [{ protocol: 'mixed', ocpp201Share: 1.5 }, /^ocpp201Share: /],
      [{ meterIntervalSec: -1 }, /^meterIntervalSec: /],
      [{ phases: 2 }, /^phases: /],
      [{ password: 'short' }, /^password: /],
      [{ password: 'long-enough-1', passwordSecret: 's' }, /^password: give a password or a password secret, not both/],
      [{ tokenPrefix: 'A-VERY-LONG-TOKEN-PREFIX-' }, /^tokenPrefix: .*20 characters/],
      [{ sessions: { probability: 2, durationSec: 1, idleSec: 1 } }, /^sessions.probability: /],
    ];
    for (const [o, message] of bad) expect(() => resolveOptions({ ...base, ...o }), JSON.stringify(o)).to.throw(message);
  });

  it('should take the same random decisions for the same seed (meters, passwords), and others for another seed', () => {
    const meters = (seed: number) => new Fleet({ ...base, seed, connectors: 2 }).chargers.map((c) => c.model.spec.meterStartWh);
    expect(meters(4)).to.deep.equal(meters(4));
    expect(meters(4)).to.not.deep.equal(meters(5));
    expect(derivePassword('s3cret', 'SIM-00001')).to.equal(derivePassword('s3cret', 'SIM-00001')).and.have.length(24);
    expect(derivePassword('s3cret', 'SIM-00001')).to.not.equal(derivePassword('s3cret', 'SIM-00002'));
  });
});
