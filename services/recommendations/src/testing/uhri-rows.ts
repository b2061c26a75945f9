// Test-only (excluded from the build): UHRI export rows as OHCHR's workbook carries them.
import { xlsxBuffer } from '../export/xlsx-writer';
import { UHRI_EXPORT_HEADERS } from '../imports/mapping/uhri-mapper';

type UhriHeader = (typeof UHRI_EXPORT_HEADERS)[number];

/** One row of Slovenia's cycle-2 UPR (A/HRC/28/15); override the cells a case needs. */
export function uhriRow(cells: Partial<Record<UhriHeader, string>> = {}): string[] {
  const row: Record<UhriHeader, string> = {
    Text: '115.3 Ratify the Optional Protocol to the Convention on the Rights of the Child on a communications procedure (Portugal, Slovakia);',
    'Countries Concerned': '- Slovenia',
    'Reccomending Body': '- UPR',
    'Document Symbol': 'A/HRC/28/15',
    Themes: '- A12 Acceptance of international norms',
    'Affected Persons': '- children',
    Sdgs: '',
    'Document Publication Date': '41985',
    'UPR Reccomending States': '- Portugal\n- Slovakia',
    'UPR Position': '- Supported',
    Type: '- Recommendations',
    'OHCHR Annotation Id': '0786354d-b83e-5c8a-8f93-8099f9106146',
    'UPR Session': '- 20 Session',
    'Regions Concerned': '- Western European and other States',
    'Recommending Regions': '',
    'Date of publication on UHRI': '42015',
    ...cells,
  };
  return UHRI_EXPORT_HEADERS.map((header) => row[header]);
}

/** A UHRI workbook of these rows, named for an upload. */
export async function uhriWorkbook(rows: string[][], name = 'uhri.xlsx') {
  return { name, bytes: await xlsxBuffer([[...UHRI_EXPORT_HEADERS], ...rows]) };
}
