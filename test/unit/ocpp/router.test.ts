import { expect } from 'chai';
import { buildRouter } from '../../../src/ocpp/router.ts';

describe('unit ocpp/router', () => {
  it('should route an action to its handler with the charger identity and payload', async () => {
    const dispatch = buildRouter([{ Heartbeat: ({ chargePointId }) => ({ currentTime: `for ${chargePointId}` }) }]);

    expect(await dispatch('CP-1', 'Heartbeat', {})).to.deep.equal({ currentTime: 'for CP-1' });
  });

  it('should fail at start-up when two groups register the same action', () => {
    const a = { Heartbeat: () => ({ currentTime: 'a' }) };
    const b = { Heartbeat: () => ({ currentTime: 'b' }) };

    expect(() => buildRouter([a, b])).to.throw(/Heartbeat registered twice/);
  });

  it('OCPP-J 1.6 §4.2.3: should answer NotImplemented for an action no group handles', async () => {
    const dispatch = buildRouter([]);

    const err = await dispatch('CP-1', 'Authorize', { idTag: 'X' }).catch((e: unknown) => e);

    expect((err as { rpcCode: string }).rpcCode).to.equal('NotImplemented');
  });

  it('OCPP-J 2.0.1 §4.3: should answer NotSupported for a recognized action no group handles, NotImplemented for any other', async () => {
    const dispatch = buildRouter([], { recognized: new Set(['LogStatusNotification']) });

    const codes = await Promise.all(['LogStatusNotification', 'Reset'].map((a) => dispatch('CP-1', a, {}).catch((e: { rpcCode: string }) => e.rpcCode)));

    expect(codes).to.deep.equal(['NotSupported', 'NotImplemented']);
  });
});
