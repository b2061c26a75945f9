import { csvLine } from '@nmirf/platform';
import { xlsxBuffer } from '../../export/xlsx-writer';
import { TEMPLATE_COLUMNS } from './template-mapper';

/** Sample rows of the three kinds no UN export covers; the README documents each column. */
const SAMPLE_ROWS: string[][] = [
  [
    'regional',
    'IACHR',
    'OEA/Ser.L/V/II. Doc. 123',
    '12',
    'Adopt the legislative measures needed to guarantee the right of indigenous peoples to prior consultation.',
    'recommendation',
    'Peru',
    '',
    '',
    '',
    'Indigenous peoples; Legal & institutional reform',
    'Indigenous peoples',
    '16.7; 10.2',
    '2024-03-01',
    'en',
    '',
  ],
  [
    'national_plan',
    'NAP-2024',
    'National Human Rights Action Plan 2024-2028',
    '3.2',
    'Train all police officers on the prohibition of torture by 2026.',
    'commitment',
    'Slovenia',
    '',
    '',
    '',
    'Human rights education, trainings & awareness raising',
    'Law enforcement / police & prison officials',
    '16.3',
    '2024-01-15',
    'en',
    '',
  ],
  [
    'voluntary_pledge',
    'HR75',
    'Human Rights 75 pledges',
    '1',
    'Ratify the Optional Protocol to the Convention against Torture by 2025.',
    'pledge',
    'Slovenia',
    '',
    '',
    '',
    'Ratification of & accession to international instruments',
    '',
    '16',
    '2023-12-12',
    'en',
    '',
  ],
];

export function templateCsv(): string {
  return `\uFEFF${[TEMPLATE_COLUMNS, ...SAMPLE_ROWS].map((row) => csvLine(row)).join('')}`;
}

export function templateXlsx(): Promise<Buffer> {
  return xlsxBuffer([TEMPLATE_COLUMNS, ...SAMPLE_ROWS], 'Recommendations');
}
