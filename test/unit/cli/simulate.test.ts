// `cpms simulate` option handling, in-process: bad input exits 2 naming the flag, before anything connects.
import { expect } from 'chai';
import { main } from '../../../src/cli/index.ts';

async function cpms(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(['node', 'cpms', ...args], (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

const URL = 'ws://127.0.0.1:9/ocpp';

describe('cpms simulate (options)', () => {
  const cases: Array<[string, string[], string]> = [
    ['no chargers', ['--chargers', '0', '--duration', '1'], 'error: --chargers: must be a positive integer'],
    ['a duration that is not a number', ['--chargers', '1', '--duration', 'soon'], 'error: --duration: must be a positive number of seconds'],
    ['a negative meter interval', ['--chargers', '1', '--duration', '1', '--meter-interval', '-1'], 'error: --meter-interval: must be a positive number'],
    ['an unsupported protocol', ['--chargers', '1', '--duration', '1', '--protocol', 'ocpp2.1'], 'error: --protocol: must be one of ocpp1.6, ocpp2.0.1, mixed'],
    ['--register without a key', ['--chargers', '1', '--duration', '1', '--register'], 'error: --register: needs --api-key'],
    ['--register without a password', ['--chargers', '1', '--duration', '1', '--register', '--api-key', 'k'], 'error: --register: needs --password or --password-secret (the chargers are created with it)'],
    ['an unreadable CA file', ['--chargers', '1', '--duration', '1', '--ca', '/no/such/ca.pem'], 'error: --ca: cannot read /no/such/ca.pem (ENOENT)'],
    ['a probability above 1', ['--chargers', '1', '--duration', '1', '--session-probability', '1.5'], 'error: --session-probability: must be between 0 and 1'],
  ];
  for (const [name, args, message] of cases) {
    it(`should exit 2 for ${name}`, async () => {
      expect(await cpms('simulate', '--url', URL, ...args)).to.deep.equal({ code: 2, out: message });
    });
  }

  it('should describe every option in --help', async () => {
    const { code, out } = await cpms('simulate', '--help');
    expect(code).to.equal(0);
    for (const flag of ['--url', '--chargers', '--duration', '--protocol', '--meter-interval', '--register', '--api-key', '--connectors', '--password-secret', '--flood', '--ramp-up', '--seed', '--ca']) expect(out).to.include(flag);
  });
});
