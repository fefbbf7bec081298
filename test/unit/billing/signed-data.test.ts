// OCPI 2.2.1 cdrs §10.4.7 SignedData / §10.4.8 SignedValue from stored signed meter values (issue 12).
import { expect } from 'chai';
import { toSignedData } from '../../../src/billing/signed-data.ts';
import type { Signing } from '../../../src/sessions/meter-values.ts';
import { aSample } from '../../fixtures/billing.ts';

const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const edl = (o: Partial<Signing> = {}): Signing => ({ encodingMethod: 'EDL', signingMethod: 'ECDSA-secp256r1-SHA256', publicKey: null, ...o });
const signed201 = (hhmm: string, data: string, context: string, signing: Signing = edl()) => aSample(at(hhmm), data, { format: 'SignedData', context, signing });
const reading = (hhmm: string, wh: string, context: string) => aSample(at(hhmm), wh, { context });

describe('unit billing/signed-data', () => {
  it('cdrs §10.4.8: should take the plain register reading of the same instant as plain data of a 2.0.1 value, and its nature from the context', () => {
    const samples = [reading('10:00', '2000', 'Transaction.Begin'), signed201('10:00', 'QUJD', 'Transaction.Begin'), reading('10:30', '2500', 'Sample.Periodic'), signed201('10:30', 'REVG', 'Sample.Periodic'), signed201('11:00', 'R0hJ', 'Transaction.End')];

    const { signedData, omitted } = toSignedData(samples);

    expect(omitted).to.deep.equal([]);
    expect(signedData?.encoding_method).to.equal('EDL');
    expect(signedData?.signed_values.map((v) => [v.nature, v.plain_data, v.signed_data])).to.deep.equal([
      ['Start', '2000 Wh', 'QUJD'],
      ['Intermediate', '2500 Wh', 'REVG'],
      // no plain reading at 11:00: the blob itself is the plain data
      ['End', 'R0hJ', 'R0hJ'],
    ]);
  });

  it('cdrs §10.4.7: should carry the first public key the station sent', () => {
    const samples = [signed201('10:00', 'QUJD', 'Transaction.Begin'), signed201('11:00', 'REVG', 'Transaction.End', edl({ publicKey: 'S0VZ' }))];

    expect(toSignedData(samples).signedData?.public_key).to.equal('S0VZ');
  });

  it('cdrs §10.4.7: should leave out a public key over string(512) and name it', () => {
    const key = 'K'.repeat(600);

    const { signedData, omitted } = toSignedData([signed201('10:00', 'QUJD', 'Transaction.Begin', edl({ publicKey: key }))]);

    expect(signedData).not.to.have.property('public_key');
    expect(omitted).to.have.length(1);
    expect(omitted[0]).to.include('public_key of 600 characters');
  });

  it('cdrs §10.4.8: should leave out a value whose signed_data exceeds string(5000) and keep the others', () => {
    const { signedData, omitted } = toSignedData([signed201('10:00', 'QUJD', 'Transaction.Begin'), signed201('11:00', 'A'.repeat(5004), 'Transaction.End')]);

    expect(signedData?.signed_values.map((v) => v.nature)).to.deep.equal(['Start']);
    expect(omitted).to.deep.equal(['signed value at 2026-03-02T11:00:00.000Z (Transaction.End): signed_data of 5004 characters exceeds 5000']);
  });

  it('should give no signed data when every value is too long, naming each', () => {
    const { signedData, omitted } = toSignedData([signed201('10:00', 'A'.repeat(6000), 'Transaction.Begin')]);

    expect(signedData).to.equal(undefined);
    expect(omitted).to.have.length(1);
  });

  it('cdrs §10.4.8 plain_data string(512): should use the plain reading when an OCMF payload is longer, and leave the value out when there is none', () => {
    const long = `OCMF|{"RD":[{"RV":1}],"X":"${'x'.repeat(600)}"}|{"SD":"30"}`;
    const samples = [reading('10:00', '1000', 'Transaction.Begin'), aSample(at('10:00'), long, { format: 'SignedData', context: 'Transaction.Begin' }), aSample(at('11:00'), long, { format: 'SignedData', context: 'Transaction.End' })];

    const { signedData, omitted } = toSignedData(samples);

    expect(signedData?.signed_values.map((v) => [v.nature, v.plain_data])).to.deep.equal([['Start', '1000 Wh']]);
    expect(omitted).to.deep.equal(['signed value at 2026-03-02T11:00:00.000Z (Transaction.End): no plain_data of at most 512 characters']);
  });

  it('should read OCMF sent base64 encoded (2.0.1 signedMeterData) as OCMF: its payload is the plain data', () => {
    const text = 'OCMF|{"RD":[{"RV":2.5}]}|{"SD":"30"}';

    const { signedData } = toSignedData([signed201('10:00', b64(text), 'Transaction.Begin', edl({ encodingMethod: 'OCMF' }))]);

    expect(signedData?.signed_values).to.deep.equal([{ nature: 'Start', plain_data: '{"RD":[{"RV":2.5}]}', signed_data: b64(text) }]);
  });

  it('cdrs §10.4.7: should keep one encoding method (the first value\'s) and leave out values of another', () => {
    const samples = [signed201('10:00', 'QUJD', 'Transaction.Begin'), aSample(at('11:00'), 'OCMF|{}|{}', { format: 'SignedData', context: 'Transaction.End' })];

    const { signedData, omitted } = toSignedData(samples);

    expect(signedData?.signed_values.map((v) => v.nature)).to.deep.equal(['Start']);
    expect(omitted).to.deep.equal(["signed value at 2026-03-02T11:00:00.000Z (Transaction.End): encoding OCMF, not the CDR's EDL"]);
  });

  it('cdrs §10.4.7 encoding_method CiString(36): should cut a longer 2.0.1 encodingMethod and say so', () => {
    const name = 'VENDOR-SPECIFIC-ENCODING-METHOD-NAME-V2';

    const { signedData, omitted } = toSignedData([signed201('10:00', 'QUJD', 'Transaction.Begin', edl({ encodingMethod: name }))]);

    expect(signedData?.encoding_method).to.equal(name.slice(0, 36));
    expect(omitted).to.have.length(1);
    expect(omitted[0]).to.include('sent as');
  });

  it('types §16.7: should not use a blob with control characters as plain data', () => {
    const { signedData, omitted } = toSignedData([aSample(at('10:00'), 'line1\nline2', { format: 'SignedData', context: 'Transaction.Begin' })]);

    expect(signedData).to.equal(undefined);
    expect(omitted[0]).to.include('no plain_data');
  });
});
