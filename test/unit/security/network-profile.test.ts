// OCPP 2.0.1 A05: the pure parts of raising a station's security profile.
import { expect } from 'chai';
import { chooseSlot, connectionDataFor, csmsUrlFor, parsePriority, priorityWithFirst } from '../../../src/security/network-profile.ts';

describe('security/network-profile (OCPP 2.0.1 A05)', () => {
  it('should give a TLS URL (wss) for profiles 2 and 3 whatever the base URL, ending with the OCPP path and a slash', () => {
    expect(csmsUrlFor('http://cpms.example.test:8080', '/ocpp', 2)).to.equal('wss://cpms.example.test:8080/ocpp/');
    expect(csmsUrlFor('https://cpms.example.test/', '/ocpp/', 3)).to.equal('wss://cpms.example.test/ocpp/');
    expect(csmsUrlFor('http://cpms.example.test', '/ocpp', 1)).to.equal('ws://cpms.example.test/ocpp/');
    expect(csmsUrlFor('https://cpms.example.test', '/ocpp', 1)).to.equal('wss://cpms.example.test/ocpp/');
  });

  it('should build the connectionData with OCPP20, JSON, the profile and a 30 s message timeout', () => {
    expect(connectionDataFor('wss://h/ocpp/', 3)).to.deep.equal({ ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: 'wss://h/ocpp/', messageTimeout: 30, securityProfile: 3, ocppInterface: 'Wired0' });
  });

  it('should read a priority list, and treat an empty or malformed one as no slots', () => {
    expect(parsePriority('1, 0,2')).to.deep.equal([1, 0, 2]);
    expect(parsePriority('')).to.deep.equal([]);
    expect(parsePriority(undefined)).to.deep.equal([]);
    expect(parsePriority('0,x')).to.deep.equal([]);
  });

  it('should pick the lowest unused slot (never 0 when the list is unknown) unless one is requested, and refuse a negative or fractional one', () => {
    expect(chooseSlot([0, 2], undefined)).to.equal(1);
    expect(chooseSlot([1, 2], undefined)).to.equal(0);
    expect(chooseSlot([], undefined)).to.equal(1); // unknown list: slot 0 is likely in use
    expect(chooseSlot([0], 5)).to.equal(5);
    expect(() => chooseSlot([], -1)).to.throw('configurationSlot: must be an integer >= 0');
    expect(() => chooseSlot([], 1.5)).to.throw('configurationSlot: must be an integer >= 0');
  });

  it('should put the new slot first and keep the others in their order, once', () => {
    expect(priorityWithFirst([0, 2], 1)).to.equal('1,0,2');
    expect(priorityWithFirst([0, 1], 1)).to.equal('1,0');
    expect(priorityWithFirst([], 0)).to.equal('0');
  });
});
