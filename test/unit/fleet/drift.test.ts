import { expect } from 'chai';
import { configurationDrift } from '../../../src/fleet/drift.ts';

describe('configuration drift', () => {
  it('OCPP16 §9 CiString50 keys: should match keys whatever their case and tell in sync, reboot required, drift and unknown apart', () => {
    const confirmed = [
      { key: 'HEARTBEATINTERVAL', value: '600', status: 'Confirmed' },
      { key: 'MeterValueSampleInterval', value: '60', status: 'RebootRequired' },
      { key: 'ConnectionTimeOut', value: '30', status: 'Confirmed' },
    ];

    const drift = configurationDrift({ HeartbeatInterval: '600', MeterValueSampleInterval: '60', ConnectionTimeOut: '90', LocalPreAuthorize: 'true' }, confirmed);

    expect(drift.map((k) => [k.key, k.state, k.actual])).to.deep.equal([
      ['HeartbeatInterval', 'IN_SYNC', '600'],
      ['MeterValueSampleInterval', 'REBOOT_REQUIRED', '60'],
      ['ConnectionTimeOut', 'DRIFT', '30'],
      ['LocalPreAuthorize', 'UNKNOWN', null],
    ]);
  });
});
