// Issue 12: every scenario of charging.scenarios.ts, once per OCPP version, against the real app with a
// simulated charger. A scenario pending on a version is skipped there and says what it waits for.
import { useTestApp } from '../../helpers/use-test-app.ts';
import { SCENARIOS } from './charging.scenarios.ts';
import { PROTOCOLS } from './driver.ts';

describe('e2e scenarios: the same charger scenarios over OCPP 1.6 and 2.0.1', () => {
  const t = useTestApp({ nock: true });

  for (const protocol of PROTOCOLS) {
    describe(protocol, () => {
      for (const s of SCENARIOS) {
        const pending = s.pending?.[protocol];
        if (pending) it.skip(`${s.name} [pending: ${pending}]`, () => undefined);
        else it(s.name, () => s.run(t, protocol));
      }
    });
  }
});
