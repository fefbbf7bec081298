import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import {
  DEFAULT_EVSE_CAPABILITIES,
  toEvseStatusPatch,
  toOcpiConnector,
  toOcpiEvse,
  toOcpiLocation,
} from '../../../src/locations/ocpi.mapper.ts';
import { aConnectorRecord, aLocationRecord, aLocationTree, anEvseRecord } from '../../fixtures/ocpi-locations.ts';

const strict = { strict: true } as const;

describe('locations/ocpi.mapper', () => {
  it('OCPI 2.2.1 locations §8.3.1: should map a minimal location to a valid Location', () => {
    const location = toOcpiLocation(aLocationTree());

    expect(validateOcpi('Location', location, strict)).to.deep.equal({ ok: true });
    expect(location).to.include({ country_code: 'NL', party_id: 'CPM', id: 'LOC1', publish: true, country: 'NLD', time_zone: 'Europe/Amsterdam' });
    expect(location.coordinates).to.deep.equal({ latitude: '52.08900', longitude: '5.11000' });
    expect(location).not.to.have.property('name');
  });

  it('should map every optional location field the data model has', () => {
    const tree = aLocationTree({
      location: aLocationRecord({
        name: 'Central station',
        postalCode: '3511 CE',
        state: 'Utrecht',
        parkingType: 'ON_STREET',
        facilities: ['TRAIN_STATION', 'CAFE'],
        openingTimes: { twentyfourseven: false, regular_hours: [{ weekday: 1, period_begin: '07:00', period_end: '18:00' }] },
        chargingWhenClosed: true,
        operator: { name: 'Operator BV', website: 'https://operator.example.com' },
        suboperator: { name: 'Sub BV' },
        owner: { name: 'Owner BV' },
        energyMix: { is_green_energy: true },
        directions: [{ language: 'en', text: 'Behind the station' }],
        images: [{ url: 'https://img.example.com/1.jpg', category: 'LOCATION', type: 'jpeg' }],
        relatedLocations: [{ latitude: '52.08910', longitude: '5.11010', name: { language: 'en', text: 'Entrance' } }],
      }),
    });

    const location = toOcpiLocation(tree);

    expect(validateOcpi('Location', location, strict)).to.deep.equal({ ok: true });
    expect(location).to.include({ name: 'Central station', postal_code: '3511 CE', state: 'Utrecht', parking_type: 'ON_STREET', charging_when_closed: true });
    expect(location.facilities).to.deep.equal(['TRAIN_STATION', 'CAFE']);
    expect(location.opening_times).to.deep.equal(tree.location.openingTimes);
    expect(location.operator).to.deep.equal({ name: 'Operator BV', website: 'https://operator.example.com' });
    expect(location.energy_mix).to.deep.equal({ is_green_energy: true });
    expect(location.related_locations).to.have.length(1);
  });

  it('OCPI 2.2.1 locations §8.3.1: should send publish_allowed_to only when publish is false', () => {
    const allowed = [{ uid: '012345678', type: 'RFID' }];

    const published = toOcpiLocation(aLocationTree({ location: aLocationRecord({ publish: true, publishAllowedTo: allowed }) }));
    const hidden = toOcpiLocation(aLocationTree({ location: aLocationRecord({ publish: false, publishAllowedTo: allowed }) }));

    expect(published).not.to.have.property('publish_allowed_to');
    expect(hidden.publish_allowed_to).to.deep.equal(allowed);
    expect(validateOcpi('Location', hidden, strict)).to.deep.equal({ ok: true });
  });

  it('should attach each EVSE its connectors, with evse_id, status and coordinates from the EVSE row', () => {
    const tree = aLocationTree({
      evses: [
        {
          evse: anEvseRecord({ id: 7, uid: 'E7', evseId: 'NL*CPM*E7', status: 'CHARGING', latitude: '52.08901', longitude: '5.11001', floorLevel: '-1', physicalReference: '7' }),
          connectors: [aConnectorRecord({ evseFk: 7, ocpiId: '1' }), aConnectorRecord({ id: 2, evseFk: 7, ocpiId: '2', standard: 'IEC_62196_T2_COMBO', format: 'CABLE', powerType: 'DC', maxVoltage: 920, maxAmperage: 400, maxElectricPower: 150000, tariffIds: ['T1'] })],
        },
      ],
    });

    const location = toOcpiLocation(tree);

    expect(validateOcpi('Location', location, strict)).to.deep.equal({ ok: true });
    const evse = location.evses![0]!;
    expect(evse).to.include({ uid: 'E7', evse_id: 'NL*CPM*E7', status: 'CHARGING', floor_level: '-1', physical_reference: '7' });
    expect(evse.coordinates).to.deep.equal({ latitude: '52.08901', longitude: '5.11001' });
    expect(evse.connectors.map((c) => c.id)).to.deep.equal(['1', '2']);
    expect(evse.connectors[1]).to.include({ standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 400, max_electric_power: 150000 });
    expect(evse.connectors[1]!.tariff_ids).to.deep.equal(['T1']);
  });

  it('should default EVSE capabilities when the row names none, and keep them when it does', () => {
    const defaulted = toOcpiEvse(anEvseRecord(), [aConnectorRecord()])!;
    const explicit = toOcpiEvse(anEvseRecord({ capabilities: ['RESERVABLE', 'CHARGING_PREFERENCES_CAPABLE'] }), [aConnectorRecord()])!;

    expect(defaulted.capabilities).to.deep.equal([...DEFAULT_EVSE_CAPABILITIES]);
    expect(defaulted.capabilities).to.include.members(['RFID_READER', 'REMOTE_START_STOP_CAPABLE']);
    expect(explicit.capabilities).to.deep.equal(['RESERVABLE', 'CHARGING_PREFERENCES_CAPABLE']);
    expect(validateOcpi('EVSE', explicit, strict)).to.deep.equal({ ok: true });
  });

  it('OCPI 2.2.1 locations §8.1: should show a removed EVSE with status REMOVED', () => {
    const evse = toOcpiEvse(anEvseRecord({ status: 'AVAILABLE', isRemoved: true }), [aConnectorRecord()])!;

    expect(evse.status).to.equal('REMOVED');
    expect(validateOcpi('EVSE', evse, strict)).to.deep.equal({ ok: true });
  });

  it('OCPI 2.2.1 locations §8.3.2: should leave out an EVSE that has no connector yet (connectors is 1..*)', () => {
    const tree = aLocationTree({ evses: [{ evse: anEvseRecord({ uid: 'EMPTY' }), connectors: [] }, { evse: anEvseRecord({ id: 2, uid: 'FULL' }), connectors: [aConnectorRecord({ evseFk: 2 })] }] });

    const location = toOcpiLocation(tree);

    expect(location.evses!.map((e) => e.uid)).to.deep.equal(['FULL']);
    expect(toOcpiEvse(anEvseRecord(), [])).to.equal(undefined);
  });

  it('OCPI 2.2.1 locations §8.2.1.1: should give a parent a last_updated at least as new as its children', () => {
    const tree = aLocationTree({
      location: aLocationRecord({ lastUpdated: new Date('2026-01-01T00:00:00Z') }),
      evses: [
        { evse: anEvseRecord({ lastUpdated: new Date('2026-01-02T00:00:00Z') }), connectors: [aConnectorRecord({ lastUpdated: new Date('2026-01-03T00:00:00Z') })] },
        { evse: anEvseRecord({ id: 2, uid: 'E2', lastUpdated: new Date('2026-01-04T00:00:00Z') }), connectors: [aConnectorRecord({ evseFk: 2, lastUpdated: new Date('2026-01-01T00:00:00Z') })] },
      ],
    });

    const location = toOcpiLocation(tree);

    expect(location.evses![0]!.last_updated).to.equal('2026-01-03T00:00:00.000Z');
    expect(location.evses![0]!.connectors[0]!.last_updated).to.equal('2026-01-03T00:00:00.000Z');
    expect(location.evses![1]!.last_updated).to.equal('2026-01-04T00:00:00.000Z');
    expect(location.last_updated).to.equal('2026-01-04T00:00:00.000Z');
  });

  it('should map a connector alone to a valid Connector', () => {
    const connector = toOcpiConnector(aConnectorRecord({ termsAndConditions: 'https://operator.example.com/terms' }));

    expect(validateOcpi('Connector', connector, strict)).to.deep.equal({ ok: true });
    expect(connector.terms_and_conditions).to.equal('https://operator.example.com/terms');
  });

  it('OCPI 2.2.1 locations §8.2.2.3: should build an EVSE status PATCH body that passes the EVSE patch schema', () => {
    const patch = toEvseStatusPatch({ status: 'CHARGING', lastUpdated: new Date('2026-01-05T10:00:00Z') });
    const removed = toEvseStatusPatch({ status: 'AVAILABLE', isRemoved: true, lastUpdated: new Date('2026-01-05T10:00:00Z') });

    expect(patch).to.deep.equal({ status: 'CHARGING', last_updated: '2026-01-05T10:00:00.000Z' });
    expect(removed.status).to.equal('REMOVED');
    expect(validateOcpi('EVSEPatch', patch, strict)).to.deep.equal({ ok: true });
  });
});
