// Test-only: the real Slovenian UPR recommendations of cycle 3 (A/HRC/43/15, 215 of them) from the
// UHRI-style export in infra/seed/slovenia (see its NOTICE.md), as RecommendationCreated payloads.
import { RecommendationPosition, type PayloadInit } from '@nmirf/contracts';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..', '..');
const EXPORT = join(root, 'infra/seed/slovenia/uhri-export-sample-slovenia-c2c3.xlsx');
// The theme keys of the cross-cycle crosswalk, matched by the labels cycle 3 used.
const CROSSWALK = join(root, 'services/recommendations/data/themes/crosswalk.json');

export const PUBLISHED = { published: true } as object;

const lines = (value: unknown): string[] =>
  String(value ?? '')
    .split('\n')
    .map((line) => line.replace(/^- /, '').trim())
    .filter(Boolean);

export async function sloveniaCycle3(): Promise<PayloadInit<'recommendationCreated'>[]> {
  const crosswalk = JSON.parse(readFileSync(CROSSWALK, 'utf8')) as {
    themes: { key: string; cycles: Record<string, { label: string }[]> }[];
  };
  const themeKey = new Map<string, string>();
  for (const theme of crosswalk.themes) {
    for (const entry of theme.cycles['3'] ?? []) themeKey.set(entry.label.toLowerCase(), theme.key);
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(EXPORT);
  const sheet = workbook.worksheets[0];
  const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
  const column = (name: string) => headers.indexOf(name);
  const out: PayloadInit<'recommendationCreated'>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const cell = (name: string) => row.getCell(column(name)).value;
    if (String(cell('Document Symbol')) !== 'A/HRC/43/15') return;
    const text = String(cell('Text'));
    const paragraph = /^(\d+\.\d+)/.exec(text)![1];
    const position = lines(cell('UPR Position'))[0];
    out.push({
      recommendationId: String(cell('OHCHR Annotation Id')),
      mechanism: 'UPR',
      documentSymbol: 'A/HRC/43/15',
      paragraph,
      text: text.slice(paragraph.length).trim(),
      recommendingStates: lines(cell('UPR Reccomending States')).flatMap((states) => states.split(/,\s*/)),
      position: position === 'Supported' ? RecommendationPosition.SUPPORTED : RecommendationPosition.NOTED,
      mechanismKind: 'upr',
      stateUnderReview: 'SVN',
      uprCycle: 3,
      uprSession: 34,
      themes: [...new Set(lines(cell('Themes')).flatMap((label) => themeKey.get(label.toLowerCase()) ?? []))],
      sdgTargets: [],
      annotationId: String(cell('OHCHR Annotation Id')),
      version: 1,
      // Published for the public dashboards; typed loosely while the contracts' field is new.
      ...PUBLISHED,
    });
  });
  return out;
}
