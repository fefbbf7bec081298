// The test helper that checks cpms's OCPI CPO answers against the official OCPI 2.2.1 OpenAPI description
// (test/helpers/ocpi-contract.ts, test/fixtures/ocpi-openapi/): the spec's own example objects pass, a
// broken one fails with a message naming module, path, status and the schema error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { checkOcpiAnswer, checkOcpiAnswersOf, OcpiContractViolation, OPENAPI_EXCEPTIONS } from '../../helpers/ocpi-contract.ts';

const example = (file: string) => JSON.parse(readFileSync(new URL(`../../fixtures/ocpi-examples/${file}`, import.meta.url), 'utf8'));
const envelope = (data: unknown) => ({ data, status_code: 1000, timestamp: '2026-01-05T10:00:00Z' });

describe('unit ocpi official OpenAPI contract check (test helper)', () => {
  describe('checkOcpiAnswer', () => {
    it('should pass the spec examples in the envelope of their CPO operation', () => {
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/locations', 200, envelope([example('location_example.json')]))).to.equal('checked');
      expect(checkOcpiAnswer('GET', 'http://127.0.0.1:1/ocpi/2.2.1/locations/LOC1', 200, envelope(example('location_example.json')))).to.equal('checked');
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/sessions?limit=5', 200, envelope([example('session_example_2_short_finished.json')]))).to.equal('checked');
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/cdrs', 200, envelope([example('cdr_example.json')]))).to.equal('checked');
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/tariffs', 200, envelope([example('tariff_13_simple_3hour_5parking.json')]))).to.equal('checked');
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/credentials', 200, envelope(example('credentials_example.json')))).to.equal('checked');
    });

    it('should map /ocpi/versions and /ocpi/2.2.1 onto the versions interface', () => {
      expect(checkOcpiAnswer('GET', '/ocpi/versions', 200, example('transport_and_format_version_info_example.json'))).to.equal('checked');
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1', 200, example('transport_and_format_version_details_example.json'))).to.equal('checked');
      expect(() => checkOcpiAnswer('GET', '/ocpi/2.2.1', 200, envelope({ version: '2.2.1' }))).to.throw(OcpiContractViolation, /versions GET \/versions\/2\.2\.1 .*'endpoints'/);
    });

    it('should check the Receiver interface of tokens (the CPO receives tokens)', () => {
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/tokens/DE/AB1/012345678', 200, example('transport_and_format_get_token_example.json'))).to.equal('checked');
    });

    it('should fail a body missing a required field, naming module, path, status and the field', () => {
      const location = example('location_example.json');
      delete location.address;

      const check = () => checkOcpiAnswer('GET', '/ocpi/2.2.1/locations/LOC1', 200, envelope(location));

      expect(check).to.throw(OcpiContractViolation, "OCPI locations GET /locations/{location_id} (GET /ocpi/2.2.1/locations/LOC1) HTTP 200 violates the official OCPI OpenAPI: /data must have required property 'address'");
    });

    it('should fail a field of the wrong type, naming where it is and its value', () => {
      const session = example('session_example_1_simple_start.json');
      session.kwh = '0.0';

      const check = () => checkOcpiAnswer('GET', '/ocpi/2.2.1/sessions', 200, envelope([session]));

      expect(check).to.throw(OcpiContractViolation, /OCPI sessions GET \/sessions .*HTTP 200 .*\/data\/0\/kwh must be number .*value "0\.0"/);
    });

    it('should fail an error answer that is not an OCPI envelope', () => {
      expect(() => checkOcpiAnswer('GET', '/ocpi/2.2.1/locations/NOPE', 404, { status_code: '2003' })).to.throw(OcpiContractViolation, /HTTP 404 .*\/status_code must be integer/);
    });

    it('types §16.2: should accept a DateTime without timezone designator but still refuse a malformed one', () => {
      const session = example('session_example_1_simple_start.json');

      session.last_updated = '2016-12-29T17:45:09.2';
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/sessions', 200, envelope([session]))).to.equal('checked');
      session.last_updated = '2016-12-29 17:45';
      expect(() => checkOcpiAnswer('GET', '/ocpi/2.2.1/sessions', 200, envelope([session]))).to.throw(OcpiContractViolation, /\/data\/0\/last_updated must match format "date-time"/);
    });

    it('should leave an answer unchecked when the CPO description has no such operation or status', () => {
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/nothing-here', 404, { whatever: true })).to.equal('unchecked');
      expect(checkOcpiAnswer('PUT', '/ocpi/2.2.1/locations/BE/BEC/LOC1', 404, {})).to.equal('unchecked');
      expect(checkOcpiAnswer('GET', '/ocpi/2.2.1/locations', 429, {})).to.equal('unchecked');
    });

    it('should give every exception a reason naming the spec section that proves it', () => {
      for (const x of OPENAPI_EXCEPTIONS) expect(x.reason).to.match(/§\d+(\.\d+)*/);
    });
  });

  describe('checkOcpiAnswersOf (fetch)', () => {
    let server: Server;
    let base: string;
    before(async () => {
      server = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        const location = example('location_example.json');
        if (req.url === '/ocpi/2.2.1/locations/BROKEN') delete location.evses[0].uid;
        res.end(JSON.stringify(envelope(location)));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('should reject a fetch to a registered app whose OCPI answer violates the description, and pass a good one', async () => {
      const stop = checkOcpiAnswersOf(base);
      try {
        const good = await fetch(`${base}/ocpi/2.2.1/locations/LOC1`);
        expect((await good.json()).data.id).to.equal('LOC1');

        const err = await fetch(`${base}/ocpi/2.2.1/locations/BROKEN`).then(() => undefined, (e: unknown) => e);

        expect(err).to.be.instanceOf(OcpiContractViolation);
        expect(String(err)).to.match(/\/data\/evses\/0 must have required property 'uid'/);
      } finally {
        stop();
      }
    });

    it('should leave fetches to other origins alone', async () => {
      const res = await fetch(`${base}/ocpi/2.2.1/locations/BROKEN`);

      expect(res.status).to.equal(200);
    });
  });
});
