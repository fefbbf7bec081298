import { expect } from 'chai';
import { registeredHostsOf, responseUrlRefusal } from '../../../src/partners/response-url.ts';
import type { Endpoint } from '../../../src/partners/partner.types.ts';

describe('unit partners/response-url', () => {
  // An eMSP registered from its versions URL on one host, with endpoints on another (with a port).
  const partner = {
    versionsUrl: 'https://EMSP.example.com/ocpi/versions',
    endpoints: [
      { identifier: 'credentials', role: 'SENDER', url: 'https://emsp.example.com/ocpi/2.2.1/credentials' },
      { identifier: 'commands', role: 'RECEIVER', url: 'https://api.emsp.example.com:8443/ocpi/2.2.1/commands' },
    ] as Endpoint[],
  };

  it('should know the hosts of the versions URL and of every endpoint, lower case with their port', () => {
    expect([...registeredHostsOf(partner)]).to.deep.equal(['emsp.example.com', 'api.emsp.example.com:8443']);
  });

  const cases: Array<{ name: string; url: string; allowed?: string[]; refusal?: string }> = [
    { name: 'the versions URL host', url: 'https://emsp.example.com/results/1' },
    { name: 'an endpoint host with its port', url: 'https://api.emsp.example.com:8443/cb?x=1' },
    { name: 'a host in another case, with the scheme default port spelled out', url: 'https://Emsp.Example.COM:443/results/1' },
    { name: 'a registered host on another port', url: 'https://api.emsp.example.com/cb', refusal: "response_url: host api.emsp.example.com is not one of the partner's registered hosts (emsp.example.com, api.emsp.example.com:8443)" },
    { name: 'loopback', url: 'http://127.0.0.1:8080/api/v1/chargers', refusal: "response_url: host 127.0.0.1:8080 is not one of the partner's registered hosts (emsp.example.com, api.emsp.example.com:8443)" },
    { name: 'a private address', url: 'http://10.0.0.7/', refusal: "response_url: host 10.0.0.7 is not one of the partner's registered hosts (emsp.example.com, api.emsp.example.com:8443)" },
    { name: 'a host that only ends like a registered one', url: 'https://evil-emsp.example.com/x', refusal: "response_url: host evil-emsp.example.com is not one of the partner's registered hosts (emsp.example.com, api.emsp.example.com:8443)" },
    { name: 'a configured host', url: 'https://results.example.net/cb', allowed: ['results.example.net'] },
    { name: 'a configured host:port only on that port', url: 'https://results.example.net:9000/cb', allowed: ['results.example.net:8443'], refusal: "response_url: host results.example.net:9000 is not one of the partner's registered hosts (emsp.example.com, api.emsp.example.com:8443)" },
    { name: 'any host with *', url: 'http://10.0.0.7/', allowed: ['*'] },
    { name: 'a scheme other than http(s), even with *', url: 'file:///etc/passwd', allowed: ['*'], refusal: 'response_url: must be an http(s) URL, not file:' },
    { name: 'something that is not a URL', url: 'not a url', refusal: 'response_url: not a URL' },
  ];
  for (const c of cases) {
    it(`should ${c.refusal ? 'refuse' : 'accept'} ${c.name}`, () => {
      expect(responseUrlRefusal(partner, c.url, c.allowed ?? [])).to.equal(c.refusal);
    });
  }
});
