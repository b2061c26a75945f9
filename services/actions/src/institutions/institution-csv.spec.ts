import { gzipSync } from 'node:zlib';
import type { InstitutionDraft } from './institution';
import { CSV_MAX_BYTES, CSV_MAX_ERRORS, mergeRow, parseInstitutionsCsv } from './institution-csv';

const csv = (...lines: string[]) => Buffer.from(lines.join('\n'), 'utf8');

describe('institutions CSV', () => {
  it('reads every column, in any order and case, with a BOM, CRLF and quoted cells', () => {
    const text =
      '\ufeffName_EN,ID,Kind,parent_id,name_fr,name_ar,acronym,focal_point_ids,validator_ids,active\r\n' +
      '"Ministry of Labour, Family, Social Affairs and Equal Opportunities",MLFSA,ministry,,Ministère du Travail,وزارة العمل,MDDSZ,user-1; user-2 ;user-1,user-3,yes\r\n' +
      'Labour Inspectorate,Labour Inspectorate,agency,MLFSA,,,,,,false\r\n';
    const parsed = parseInstitutionsCsv(Buffer.from(text, 'utf8'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        line: 2,
        draft: {
          id: 'MLFSA',
          kind: 'ministry',
          parentId: null,
          names: {
            en: 'Ministry of Labour, Family, Social Affairs and Equal Opportunities',
            fr: 'Ministère du Travail',
            ar: 'وزارة العمل',
          },
          acronym: 'MDDSZ',
          focalPointIds: ['user-1', 'user-2'],
          validatorIds: ['user-3'],
          active: true,
        },
      },
      {
        line: 3,
        draft: expect.objectContaining({
          id: 'Labour Inspectorate',
          parentId: 'MLFSA',
          names: { en: 'Labour Inspectorate' },
          active: false,
        }),
      },
    ]);
    expect([...parsed.columns].sort()).toEqual(
      [
        'acronym',
        'active',
        'focal_point_ids',
        'id',
        'kind',
        'name_ar',
        'name_en',
        'name_fr',
        'parent_id',
        'validator_ids',
      ].sort(),
    );
  });

  it('takes ; or tab as the separator, and "civil society" as a kind', () => {
    for (const separator of [';', '\t']) {
      const parsed = parseInstitutionsCsv(
        csv(
          ['id', 'kind', 'name_en'].join(separator),
          ['Legal Aid Network', 'civil society', 'Legal Aid Network'].join(separator),
        ),
      );
      expect(parsed.errors).toEqual([]);
      expect(parsed.rows[0].draft).toMatchObject({ id: 'Legal Aid Network', kind: 'civil_society' });
    }
  });

  it('reports every bad row with its line and column, counting the lines of a quoted cell', () => {
    const parsed = parseInstitutionsCsv(
      csv(
        'id,kind,name_en,active,focal_point_ids',
        'Ministry of Justice,ministry,Ministry of Justice,,',
        '"Ministry of',
        'Health",ministry,Ministry of Health,,',
        'bad/id,department,   ,maybe,two words',
        'ministry of justice,ministry,Again,,',
        '',
        'Supreme Court,,Supreme Court,,',
      ),
    );
    expect(parsed.errors).toEqual([
      { line: 3, field: 'id', messages: [expect.stringMatching(/^id must be 1 to 200 letters/)] },
      { line: 5, field: 'active', messages: ['active must be true or false (or empty for true)'] },
      { line: 5, field: 'id', messages: [expect.stringMatching(/^id must be/)] },
      { line: 5, field: 'kind', messages: [expect.stringMatching(/^kind must be one of ministry, agency/)] },
      { line: 5, field: 'name_en', messages: [expect.stringMatching(/^name_en is required/)] },
      {
        line: 5,
        field: 'focal_point_ids',
        messages: [expect.stringMatching(/^each value in focal_point_ids/)],
      },
      { line: 6, field: 'id', messages: ['id ministry of justice is already on line 2'] },
      { line: 8, field: 'kind', messages: [expect.stringMatching(/^kind is required/)] },
    ]);
    expect(parsed.rows.map((row) => row.line)).toEqual([2]);
  });

  it('refuses a header with unknown, repeated or missing columns', () => {
    expect(parseInstitutionsCsv(csv('id,kind,name,name_en,kind', 'a,ministry,b,c,d')).errors).toEqual([
      {
        line: 1,
        field: 'name',
        messages: [expect.stringMatching(/^Unknown column "name"; the columns are id, kind/)],
      },
      { line: 1, field: 'kind', messages: ['The column kind appears twice'] },
    ]);
    expect(parseInstitutionsCsv(csv('', '', 'id,name_fr', 'a,b')).errors).toEqual([
      { line: 3, field: '(header)', messages: ['The header row lacks the required columns kind, name_en'] },
    ]);
  });

  it('refuses a row longer than the header, and an unclosed quote', () => {
    expect(parseInstitutionsCsv(csv('id,kind,name_en', 'a,ministry,A,extra')).errors).toEqual([
      { line: 2, field: '(row)', messages: ['The row has 4 cells; the header has 3'] },
    ]);
    const unclosed = parseInstitutionsCsv(csv('id,kind,name_en', 'a,ministry,"A', 'b,ministry,B'));
    expect(unclosed.errors).toEqual([
      { line: 3, field: '(file)', messages: [expect.stringMatching(/Quote Not Closed/)] },
    ]);
  });

  it('says what to do with a file that is not UTF-8 CSV text', () => {
    const message = (bytes: Buffer) => parseInstitutionsCsv(bytes).errors[0].messages[0];
    expect(message(Buffer.from('id,kind,name_en\nMinist\xe8re,ministry,x\n', 'latin1'))).toMatch(/not UTF-8/);
    expect(message(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id', 'utf16le')]))).toMatch(
      /UTF-16/,
    );
    expect(message(Buffer.from('PK\u0003\u0004rest'))).toMatch(/Excel file/);
    expect(message(gzipSync('id,kind,name_en'))).toMatch(/not UTF-8/);
    expect(message(csv('', '  '))).toMatch(/empty/);
    expect(message(Buffer.alloc(CSV_MAX_BYTES + 1, 'a'))).toMatch(/larger than/);
  });

  it(`lists at most ${CSV_MAX_ERRORS} errors, and says how many more there are`, () => {
    const rows = Array.from({ length: 150 }, (_, i) => `bad/${i},ministry,Name`);
    const { errors } = parseInstitutionsCsv(csv('id,kind,name_en', ...rows));
    expect(errors).toHaveLength(CSV_MAX_ERRORS + 1);
    expect(errors[CSV_MAX_ERRORS]).toEqual({
      line: 102,
      field: '(file)',
      messages: ['50 more errors from this line on are not listed'],
    });
  });

  it('keeps the fields of existing entries whose columns the file leaves out', () => {
    const existing: InstitutionDraft = {
      id: 'Ministry of Justice',
      kind: 'ministry',
      parentId: 'Government',
      names: { en: 'Ministry of Justice', fr: 'Ministère de la Justice', es: 'Ministerio de Justicia' },
      acronym: 'MoJ',
      focalPointIds: ['user-1'],
      validatorIds: ['user-2'],
      active: false,
    };
    const parsed = parseInstitutionsCsv(
      csv('id,kind,name_en,name_fr', 'MINISTRY OF JUSTICE,ministry,Ministry of Justice,'),
    );
    expect(mergeRow(existing, parsed.rows[0].draft, parsed.columns)).toEqual({
      ...existing,
      names: { en: 'Ministry of Justice', es: 'Ministerio de Justicia' },
    });
    expect(mergeRow(undefined, parsed.rows[0].draft, parsed.columns)).toEqual(parsed.rows[0].draft);
  });
});
