// OCPP 1.6 §3.5 local authorization list from the access rules (issue 9): a scripted charger answers
// GetLocalListVersion and SendLocalList; cpms sends a Full list first, then Differential updates as the
// rules change, and a Full list again when the charger reports another version.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { anIdTag } from '../../fixtures/chargers.ts';
import { eventually } from '../../helpers/wait.ts';

describe('e2e OCPP 1.6 local authorization list from the access rules', () => {
  const t = useTestApp();

  /** A charger that keeps a local list as a real one would, and records every SendLocalList. */
  async function aChargerWithLocalList(o: { supported?: boolean } = {}) {
    const booted = await aBootedChargerAtEvse(t);
    const charger = { ...booted, version: 0, received: [] as any[] };
    booted.client.handle('GetLocalListVersion', async () => ({ listVersion: o.supported === false ? -1 : charger.version }));
    booted.client.handle('SendLocalList', async ({ params }: any) => {
      charger.received.push(params);
      charger.version = params.listVersion;
      return { status: 'Accepted' };
    });
    return charger;
  }

  async function aDriverWithToken(groupName: string) {
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Dee' })).body;
    const token = await t.app.services.tokens.addLocal({ uid: anIdTag(), groupId: 'FLEET' });
    await t.api('PUT', `/api/v1/drivers/${driver.id}/tokens/${token.id}`);
    const group = (await t.api('POST', '/api/v1/groups', { name: groupName })).body;
    await t.api('PUT', `/api/v1/groups/${group.id}/members/${driver.id}`);
    return { driverId: driver.id, idTag: token.uid, tokenId: token.id, groupId: group.id };
  }

  const sync = async (id: string) => (await t.api('POST', `/api/v1/chargers/${id}/local-list/sync`)).body;

  // Every change of the rules also starts a sync in the background (serialized per charger with the explicit
  // one): the tests assert what the charger received and holds, whichever of the two sent it.
  it('OCPP 1.6 §6.43 SendLocalList: should send a Full list, then only the changes, versions growing', async () => {
    // Arrange
    const charger = await aChargerWithLocalList();
    const ann = await aDriverWithToken(`lists-a-${charger.id}`);
    const bob = await aDriverWithToken(`lists-b-${charger.id}`);
    await t.api('POST', `/api/v1/groups/${ann.groupId}/rules`, { locationId: charger.locationId });

    // Act
    await sync(charger.id);
    const again = await sync(charger.id);
    await t.api('POST', `/api/v1/groups/${bob.groupId}/rules`, { evseUid: charger.evseUid, weekdays: [6, 7] });
    await t.api('DELETE', `/api/v1/groups/${ann.groupId}/members/${ann.driverId}`);
    await sync(charger.id);
    const shown = (await t.api('GET', `/api/v1/chargers/${charger.id}/local-list`)).body;
    await charger.client.close();

    // Assert
    const bobEntry = { idTag: bob.idTag, idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' } };
    expect(charger.received[0]).to.deep.equal({ listVersion: 1, updateType: 'Full', localAuthorizationList: [{ idTag: ann.idTag, idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' } }] });
    expect(again).to.deep.equal({ status: 'UpToDate', listVersion: 1 });
    const later = charger.received.slice(1);
    expect(later.map((r) => r.updateType)).to.deep.equal(later.map(() => 'Differential'));
    expect(later.map((r) => r.listVersion)).to.deep.equal(later.map((_r, i) => i + 2));
    expect(later.flatMap((r) => r.localAuthorizationList)).to.have.deep.members([bobEntry, { idTag: ann.idTag }]);
    expect([shown.entries, shown.listVersion]).to.deep.equal([[bobEntry], charger.version]);
  });

  it('OCPP 1.6 §6.23 GetLocalListVersion: should send a Full list again when the charger lost its list', async () => {
    // Arrange
    const charger = await aChargerWithLocalList();
    const ann = await aDriverWithToken(`lists-c-${charger.id}`);
    await t.api('POST', `/api/v1/groups/${ann.groupId}/rules`, { locationId: charger.locationId });
    await sync(charger.id);
    const before = charger.version;

    // Act: the charger was reset and forgot its list
    charger.version = 0;
    await sync(charger.id);
    await charger.client.close();

    // Assert
    expect(charger.received.at(-1)).to.deep.include({ listVersion: before + 1, updateType: 'Full' });
    expect(charger.received.at(-1).localAuthorizationList.map((e: any) => e.idTag)).to.deep.equal([ann.idTag]);
  });

  it('should record a charger without a local list (version -1) as NotSupported and send it nothing', async () => {
    const charger = await aChargerWithLocalList({ supported: false });
    const ann = await aDriverWithToken(`lists-d-${charger.id}`);
    await t.api('POST', `/api/v1/groups/${ann.groupId}/rules`, { locationId: charger.locationId });

    const result = await sync(charger.id);
    const shown = (await t.api('GET', `/api/v1/chargers/${charger.id}/local-list`)).body;
    await charger.client.close();

    expect(result).to.deep.equal({ status: 'NotSupported', listVersion: -1 });
    expect([shown.lastStatus, shown.listVersion]).to.deep.equal(['NotSupported', null]);
    expect(charger.received).to.deep.equal([]);
  });

  it('should resend the list by itself after a rule change (no sync call)', async () => {
    // Arrange
    const charger = await aChargerWithLocalList();
    const ann = await aDriverWithToken(`lists-e-${charger.id}`);

    // Act
    await t.api('POST', `/api/v1/groups/${ann.groupId}/rules`, { locationId: charger.locationId });
    const sent = await eventually(async () => charger.received.find((r) => r.localAuthorizationList?.some((e: any) => e.idTag === ann.idTag)), 'the list with the new driver');
    await charger.client.close();

    // Assert
    expect(sent.localAuthorizationList).to.deep.include({ idTag: ann.idTag, idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' } });
  });
});
