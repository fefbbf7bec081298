// RFC 4180 CSV as spreadsheets write it: the bulk imports' input (`cpms charger import`, `cpms token import`).
import { expect } from 'chai';
import { parseCsv, parseCsvTable } from '../../../src/shared/csv.ts';

describe('unit shared csv', () => {
  const cases: Array<{ name: string; text: string; records: Array<[number, string[]]> }> = [
    { name: 'should split plain fields and keep empty ones', text: 'a,b,,d\n1,2,3,', records: [[1, ['a', 'b', '', 'd']], [2, ['1', '2', '3', '']]] },
    { name: 'RFC 4180 §2.6: should keep commas and line breaks inside quoted fields', text: 'id,note\nCP1,"one, two"\nCP2,"line 1\nline 2"\nCP3,x', records: [[1, ['id', 'note']], [2, ['CP1', 'one, two']], [3, ['CP2', 'line 1\nline 2']], [5, ['CP3', 'x']]] },
    { name: 'RFC 4180 §2.7: should read "" inside a quoted field as one quote', text: '"say ""hi""",b', records: [[1, ['say "hi"', 'b']]] },
    { name: 'should accept CRLF line ends, a byte-order mark and a last line without a line end', text: '\ufeffa,b\r\n1,2\r\n', records: [[1, ['a', 'b']], [2, ['1', '2']]] },
    { name: 'should skip blank lines', text: 'a\n\n\nb\n', records: [[1, ['a']], [4, ['b']]] },
    { name: 'should keep spaces around unquoted values', text: ' a , b ', records: [[1, [' a ', ' b ']]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseCsv(c.text).map((r) => [r.line, r.fields])).to.deep.equal(c.records);
    });
  }

  const bad: Array<[string, string, RegExp]> = [
    ['an unclosed quote', 'a,"b\nc', /^line 1: a quoted field is not closed$/],
    ['a quote inside an unquoted field', 'a\nb"c', /^line 2: a quote inside an unquoted field/],
    ['text after a closing quote', '"a"b', /^line 1: text after a closing quote/],
  ];
  for (const [what, text, message] of bad) {
    it(`should refuse ${what}, naming the line`, () => {
      expect(() => parseCsv(text)).to.throw(message);
    });
  }

  it('should key each row by the header and give the line it starts on', () => {
    const table = parseCsvTable('id, password\nCP1,pw-one-1\n"CP2",\n');

    expect(table.header).to.deep.equal(['id', 'password']);
    expect(table.rows).to.deep.equal([{ line: 2, values: { id: 'CP1', password: 'pw-one-1' } }, { line: 3, values: { id: 'CP2', password: '' } }]);
  });

  it('should refuse a row with another number of fields than the header, a repeated column and an empty file', () => {
    expect(() => parseCsvTable('id,password\nCP1\n')).to.throw(/^line 2: 1 fields, the header has 2$/);
    expect(() => parseCsvTable('id,id\n')).to.throw(/column id is named twice/);
    expect(() => parseCsvTable('')).to.throw(/needs a header row/);
  });
});
