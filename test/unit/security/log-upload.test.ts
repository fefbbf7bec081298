import { expect } from 'chai';
import { extractUploadedFile } from '../../../src/security/log-upload.ts';

const multipart = (boundary: string, parts: string[]) => Buffer.from(parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`);

describe('log-upload extractUploadedFile', () => {
  it('should take a raw body as the file', () => {
    expect(extractUploadedFile(Buffer.from('abc'), 'application/octet-stream')).to.deep.equal({ content: Buffer.from('abc'), fileName: null });
    expect(extractUploadedFile(Buffer.from('abc'), undefined)).to.deep.equal({ content: Buffer.from('abc'), fileName: null });
  });

  it('RFC 7578: should take the part with a filename, with CRLFs inside the content kept', () => {
    const body = multipart('XyZ', ['Content-Disposition: form-data; name="note"\r\n\r\nhello', 'Content-Disposition: form-data; name="file"; filename="log.txt"\r\nContent-Type: text/plain\r\n\r\na\r\nb']);

    expect(extractUploadedFile(body, 'multipart/form-data; boundary=XyZ')).to.deep.equal({ content: Buffer.from('a\r\nb'), fileName: 'log.txt' });
  });

  it('should read a quoted boundary and fall back to the first part without a filename', () => {
    const body = multipart('a b', ['Content-Disposition: form-data; name="x"\r\n\r\nonly']);

    expect(extractUploadedFile(body, 'multipart/form-data; boundary="a b"')).to.deep.equal({ content: Buffer.from('only'), fileName: null });
  });

  it('should refuse multipart without a boundary or without a part', () => {
    expect(() => extractUploadedFile(Buffer.from('x'), 'multipart/form-data')).to.throw(/boundary/);
    expect(() => extractUploadedFile(Buffer.from('--b--\r\n'), 'multipart/form-data; boundary=b')).to.throw(/part/);
  });
});
