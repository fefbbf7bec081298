import { expect } from 'chai';
import { confirmedKeys, parseHeartbeatInterval } from '../../../src/chargers/configuration.ts';

describe('chargers/configuration: what a charger confirmed', () => {
  it('OCPP16 §5.8 GetConfiguration: should confirm every key of the answer with its readonly flag', () => {
    const keys = confirmedKeys('GetConfiguration', { key: ['HeartbeatInterval', 'Nope'] }, {
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '900' }, { key: 'NumberOfConnectors', readonly: true }],
      unknownKey: ['Nope'],
    });
    expect(keys).to.deep.equal([
      { key: 'HeartbeatInterval', value: '900', readonly: false, status: 'Confirmed', source: 'GetConfiguration' },
      { key: 'NumberOfConnectors', value: null, readonly: true, status: 'Confirmed', source: 'GetConfiguration' },
    ]);
  });

  it('OCPP16 §5.3 ChangeConfiguration: should confirm an Accepted value at once and a RebootRequired one after the reboot', () => {
    const request = { key: 'HeartbeatInterval', value: '60' };
    expect(confirmedKeys('ChangeConfiguration', request, { status: 'Accepted' })).to.deep.equal([{ key: 'HeartbeatInterval', value: '60', readonly: false, status: 'Confirmed', source: 'ChangeConfiguration' }]);
    expect(confirmedKeys('ChangeConfiguration', request, { status: 'RebootRequired' })[0].status).to.equal('RebootRequired');
  });

  it('should confirm nothing for a Rejected or NotSupported change, or another action', () => {
    expect(confirmedKeys('ChangeConfiguration', { key: 'X', value: '1' }, { status: 'Rejected' })).to.deep.equal([]);
    expect(confirmedKeys('ChangeConfiguration', { key: 'X', value: '1' }, { status: 'NotSupported' })).to.deep.equal([]);
    expect(confirmedKeys('Reset', { type: 'Soft' }, { status: 'Accepted' })).to.deep.equal([]);
  });

  it('should read a HeartbeatInterval as whole seconds of at least 1', () => {
    expect([' 900 ', '1', '0', '-5', '1.5', 'soon', '', null, undefined].map(parseHeartbeatInterval)).to.deep.equal([900, 1, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
