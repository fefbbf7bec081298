import { expect } from 'chai';
import { applyLocalListUpdate, planLocalListUpdate, type LocalListEntry } from '../../../src/drivers/local-list.ts';

const accepted = (idTag: string, o: Partial<LocalListEntry['idTagInfo']> = {}): LocalListEntry => ({ idTag, idTagInfo: { status: 'Accepted', ...o } });

describe('unit drivers local authorization list', () => {
  it('OCPP 1.6 §6.43 SendLocalList: should send a Full list the first time, version 1', () => {
    expect(planLocalListUpdate(undefined, 0, [accepted('A')])).to.deep.equal({ listVersion: 1, updateType: 'Full', localAuthorizationList: [accepted('A')] });
  });

  it('should send nothing to a charger without a list when there is nothing to hold', () => {
    expect(planLocalListUpdate(undefined, 0, [])).to.equal(undefined);
  });

  it('should send nothing when the charger holds the version last accepted and the entries are the same', () => {
    expect(planLocalListUpdate({ version: 3, entries: [accepted('A')] }, 3, [accepted('A')])).to.equal(undefined);
  });

  it('should send only the changes as a Differential update, a removed idTag without idTagInfo', () => {
    const sent = { version: 3, entries: [accepted('A'), accepted('B'), accepted('C')] };

    const update = planLocalListUpdate(sent, 3, [accepted('A'), accepted('C', { expiryDate: '2027-01-01T00:00:00.000Z' }), accepted('D')]);

    expect(update).to.deep.equal({ listVersion: 4, updateType: 'Differential', localAuthorizationList: [accepted('C', { expiryDate: '2027-01-01T00:00:00.000Z' }), accepted('D'), { idTag: 'B' }] });
  });

  it('should send a Full list above both versions when the charger reports another version (list lost or changed)', () => {
    expect(planLocalListUpdate({ version: 3, entries: [accepted('A')] }, 0, [accepted('A')])).to.deep.equal({ listVersion: 4, updateType: 'Full', localAuthorizationList: [accepted('A')] });
    expect(planLocalListUpdate({ version: 3, entries: [accepted('A')] }, 9, [accepted('A')])?.listVersion).to.equal(10);
  });

  it('should empty the list with a Full update when nothing is wanted any more but the charger holds one', () => {
    expect(planLocalListUpdate({ version: 2, entries: [accepted('A')] }, 5, [])).to.deep.equal({ listVersion: 6, updateType: 'Full', localAuthorizationList: [] });
  });

  it('should apply an accepted update: Full replaces, Differential adds, changes and deletes', () => {
    const sent = { version: 1, entries: [accepted('A'), accepted('B')] };

    expect(applyLocalListUpdate(sent, { listVersion: 2, updateType: 'Differential', localAuthorizationList: [accepted('C'), { idTag: 'A' }] })).to.deep.equal({ version: 2, entries: [accepted('B'), accepted('C')] });
    expect(applyLocalListUpdate(sent, { listVersion: 2, updateType: 'Full', localAuthorizationList: [accepted('Z')] })).to.deep.equal({ version: 2, entries: [accepted('Z')] });
  });
});
