import {
  ActionStatus,
  AssessmentAuthorKind,
  decodeEnvelope,
  ImplementationStatus,
  RecommendationPosition,
  timestampFromDate,
  type PayloadInit,
} from '@nmirf/contracts';
import type { Principal } from '@nmirf/platform';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { DashboardsService } from '../dashboards/dashboards.service';
import { PdfPrinter } from '../documents/pdf-printer';
import { PUBLISHED, sloveniaCycle3 } from '../testing/slovenia';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';
import { ReportCompiler } from './report-compiler';
import type { ReportJobs } from './report-jobs';
import { ReportJobSource, ReportReconciler } from './report-reconciler';
import { ReportsService, type ReportRequest } from './reports.service';

jest.setTimeout(180_000);

// Page images for people to look at (npm test leaves them in tmp/report-pages).
const PAGES = join(__dirname, '..', '..', '..', '..', 'tmp', 'report-pages');
const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';
const LABOUR = 'Ministry of Labour, Family, Social Affairs and Equal Opportunities';
const DAY = 86_400_000;

// What the plan's first action reports: two measurements (the later one is shown), two accepted
// progress reports (the later narrative is shown, the evidence of both) and one still under review.
const INDICATOR = 'Judges trained on hate speech';
const EARLIER_NARRATIVE = 'Curriculum drafted with the Judicial Training Centre.';
const NARRATIVE = 'Seminars held in Ljubljana, Maribor and Celje; 318 judges attended.';
const UNREVIEWED = 'Unreviewed claim: every court trained.';
const EVIDENCE = ['attendance-2026.pdf', 'curriculum.docx'];
const OMBUDSMAN = 'Human Rights Ombudsman of the Republic of Slovenia';
const ASSESSMENT = 'Training has reached the larger courts only.';
const FOLLOW_UP_ACTION = 'Adopt the resolution on preventing violence against women';
const FOLLOW_UP_EVIDENCE = 'resolution-2026.pdf';

const person = (roles: string[], institutions: string[] = []): Principal => ({
  subject: randomUUID(),
  name: 'test',
  kind: 'user',
  roles: new Set(roles) as Principal['roles'],
  institutions,
  scopes: new Set(),
});
const coordinator = person(['coordinator']);
const focalJustice = person(['focal_point'], [JUSTICE]);
const focalInterior = person(['focal_point'], [INTERIOR]);

function zipEntry(file: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
        });
      });
      zip.on('end', () => reject(new Error(`${name} not in ${file}`)));
      zip.readEntry();
    });
  });
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pdfPages = (file: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
function pageImages(file: string, name: string): string[] {
  mkdirSync(PAGES, { recursive: true });
  for (const old of readdirSync(PAGES).filter((entry) => entry.startsWith(`${name}-`)))
    rmSync(join(PAGES, old));
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', file, join(PAGES, name)]);
  return readdirSync(PAGES).filter((entry) => entry.startsWith(`${name}-`) && entry.endsWith('.png'));
}
const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('compiled reports (DOCX, PDF, XLSX) read back', () => {
  let fixture: ReportingFixture;
  let pdf: PdfPrinter;
  let compiler: ReportCompiler;
  let reports: ReportsService;
  let dashboards: DashboardsService;
  let recommendations: Awaited<ReturnType<typeof sloveniaCycle3>>;
  const produced: string[] = [];
  const actionIds: string[] = [];

  const compile = async (request: ReportRequest, caller: Principal = coordinator) => {
    const report = await reports.request(request, caller);
    await compiler.compile(report.id);
    const ready = await reports.get(report.id, caller);
    expect(ready).toMatchObject({
      status: 'ready',
      progress: 100,
      fileName: `${report.id}.${request.format}`,
    });
    return { report: ready, file: join(fixture.reportsDir, ready.fileName!) };
  };

  beforeAll(async () => {
    fixture = await startReportingFixture();
    pdf = new PdfPrinter(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
    compiler = new ReportCompiler(fixture.dataSource, fixture.outbox, fixture.reportsDir, {
      pdf,
      retentionDays: 30,
    });
    const jobs = { enqueueCompile: async () => undefined } as unknown as ReportJobs;
    reports = new ReportsService(fixture.dataSource, jobs, fixture.config);
    dashboards = new DashboardsService(fixture.dataSource);

    recommendations = await sloveniaCycle3();
    for (const payload of recommendations)
      await fixture.feed('recommendationCreated', payload.recommendationId, payload);
    // A plan for the first ten: actions led by Justice (one supported by Interior), progress, roll-ups.
    const now = Date.now();
    for (const [index, recommendation] of recommendations.slice(0, 10).entries()) {
      const actionId = randomUUID();
      actionIds.push(actionId);
      const status =
        index < 4 ? ActionStatus.COMPLETED : index < 8 ? ActionStatus.IN_PROGRESS : ActionStatus.ASSIGNED;
      await fixture.feed('actionAssigned', actionId, {
        actionId,
        recommendationId: recommendation.recommendationId,
        title:
          index === 9
            ? '=HYPERLINK("http://evil","click") then train judges'
            : `Measure ${index + 1} of the plan`,
        institution: index === 5 ? INTERIOR : JUSTICE,
        dueAt: timestampFromDate(new Date(now + (index - 8) * 30 * DAY)),
        previousInstitution: '',
        status,
      });
      await fixture.feed('recommendationImplementationStatusChanged', recommendation.recommendationId, {
        recommendationId: recommendation.recommendationId,
        status:
          index < 4
            ? ImplementationStatus.IMPLEMENTED
            : index < 8
              ? ImplementationStatus.IN_PROGRESS
              : ImplementationStatus.NOT_STARTED,
        previousStatus: ImplementationStatus.NOT_STARTED,
        derivedStatus: ImplementationStatus.IMPLEMENTED,
        overridden: false,
        justification: '',
      });
    }
    await seedPlanContent(now);
    // A treaty body's concluding observations, paragraph 28 marked for follow-up.
    for (const paragraph of ['14', '28']) {
      const id = paragraph === '28' ? cedaw28 : randomUUID();
      await fixture.feed('recommendationCreated', id, {
        recommendationId: id,
        mechanism: 'CEDAW',
        documentSymbol: 'CEDAW/C/SVN/CO/7',
        paragraph,
        text: `Paragraph ${paragraph}: the Committee recommends that the State party adopt a strategy on gender-based violence.`,
        recommendingStates: [],
        position: RecommendationPosition.UNSPECIFIED,
        uprCycle: 0,
        uprSession: 0,
        annotationId: '',
        mechanismKind: 'treaty_body',
        stateUnderReview: 'SVN',
        themes: [],
        sdgTargets: [],
        version: 1,
        ...PUBLISHED,
      });
    }
    await seedFollowUp(now);
  });

  const cedaw28 = randomUUID();
  const planId = randomUUID();

  /** The plan's first action, as the actions service announces it. */
  const actionChanged = (
    actionId: string,
    recommendationId: string,
    title: string,
    lead: string,
    status: ActionStatus,
    now: number,
  ): PayloadInit<'actionChanged'> => ({
    actionId,
    planId,
    title,
    description: '',
    leadInstitutionId: lead,
    supportingInstitutionIds: [],
    recommendationIds: [recommendationId],
    sdgTargets: ['16.3'],
    startDate: '2025-01-15',
    dueAt: timestampFromDate(new Date(now - 8 * 30 * DAY)),
    milestones: [],
    budgetLine: '',
    status,
    version: 5,
    createdAt: timestampFromDate(new Date(now - 400 * DAY)),
  });

  const progressReport = (
    reportId: string,
    actionId: string,
    institutionId: string,
    status: string,
    narrative: string,
    files: string[],
  ): PayloadInit<'progressReportTransitioned'> => ({
    reportId,
    actionId,
    institutionId,
    transition: `progress_report.${status}.v1`,
    status,
    final: false,
    percentage: 60,
    comments: '',
    version: 3,
    content: {
      $typeName: 'nmirf.events.v1.ProgressReportContent',
      narrative,
      files: files.map((name, index) => ({
        $typeName: 'nmirf.events.v1.ProgressReportFile',
        sha256: `${index}`.padStart(64, name.length.toString(16)),
        name,
        mediaType: 'application/pdf',
        size: 1_000n,
      })),
    },
  });

  /**
   * A plan for the first recommendation: its action in a published plan, an indicator measured
   * twice, two accepted progress reports and one under review, and the NHRI's published assessment
   * (a civil-society one withdrawn from the public record).
   */
  async function seedPlanContent(now: number): Promise<void> {
    const recommendation = recommendations[0].recommendationId;
    const [actionId] = actionIds;
    await fixture.feed('planChanged', planId, {
      planId,
      state: 'SVN',
      title: 'National plan for the third UPR cycle',
      kind: 'upr_cycle',
      periodStart: '2025-01-01',
      periodEnd: '2027-12-31',
      published: true,
      version: 1,
      deleted: false,
    });
    await fixture.feed(
      'actionChanged',
      actionId,
      actionChanged(actionId, recommendation, 'Measure 1 of the plan', JUSTICE, ActionStatus.COMPLETED, now),
    );
    const indicatorId = randomUUID();
    const measured = (measurements: Array<[string, number]>): PayloadInit<'indicatorScheduled'> => ({
      indicatorId,
      cause: 'measured',
      name: INDICATOR,
      subjectKind: 'action',
      subjectId: actionId,
      institutionIds: [JUSTICE],
      frequency: 'quarterly',
      nextReportingOn: '2026-09-30',
      latestMeasuredOn: measurements.at(-1)![0],
      content: {
        $typeName: 'nmirf.events.v1.IndicatorContent',
        type: 'process',
        unit: 'judges',
        baseline: { $typeName: 'nmirf.events.v1.IndicatorValue', value: 0, date: '2025-01-01' },
        target: { $typeName: 'nmirf.events.v1.IndicatorValue', value: 450, date: '2027-12-31' },
        measurements: measurements.map(([measuredOn, value]) => ({
          $typeName: 'nmirf.events.v1.IndicatorMeasurement',
          measurementId: randomUUID(),
          value,
          measuredOn,
          progressReportId: '',
        })),
        sdgIndicator: '16.3.1',
        version: 1,
      },
    });
    await fixture.feed('indicatorScheduled', indicatorId, measured([['2026-03-31', 142]]));
    await fixture.feed(
      'indicatorScheduled',
      indicatorId,
      measured([
        ['2026-03-31', 142],
        ['2026-06-30', 318],
      ]),
    );
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    const accepted = 'accepted_by_coordinator';
    await fixture.feed(
      'progressReportTransitioned',
      first,
      progressReport(first, actionId, JUSTICE, accepted, EARLIER_NARRATIVE, [EVIDENCE[1]]),
      new Date(now - 90 * DAY),
    );
    await fixture.feed(
      'progressReportTransitioned',
      second,
      progressReport(second, actionId, JUSTICE, accepted, NARRATIVE, [EVIDENCE[0], EVIDENCE[1]]),
      new Date(now - 10 * DAY),
    );
    await fixture.feed(
      'progressReportTransitioned',
      third,
      progressReport(third, actionId, JUSTICE, 'submitted', UNREVIEWED, ['unreviewed.pdf']),
    );
    const published = (
      assessmentId: string,
      kind: AssessmentAuthorKind,
      organisation: string,
      text: string,
    ) =>
      fixture.feed('assessmentPublished', assessmentId, {
        assessmentId,
        recommendationId: recommendation,
        authorOrganisationId: organisation,
        authorKind: kind,
        status: ImplementationStatus.PARTIALLY_IMPLEMENTED,
        narrative: text,
        links: [],
        publishedAt: timestampFromDate(new Date(now - 5 * DAY)),
        updatedAt: timestampFromDate(new Date(now - 5 * DAY)),
        version: 2,
        files: [],
      });
    await published(randomUUID(), AssessmentAuthorKind.NHRI, OMBUDSMAN, ASSESSMENT);
    const withdrawn = randomUUID();
    await published(withdrawn, AssessmentAuthorKind.CIVIL_SOCIETY, 'Peace Institute', 'Withdrawn view.');
    await fixture.feed('assessmentUnpublished', withdrawn, {
      assessmentId: withdrawn,
      recommendationId: recommendation,
      withdrawn: false,
    });
  }

  /** The action behind CEDAW paragraph 28, with an accepted report and its evidence. */
  async function seedFollowUp(now: number): Promise<void> {
    const actionId = randomUUID();
    await fixture.feed(
      'actionChanged',
      actionId,
      actionChanged(actionId, cedaw28, FOLLOW_UP_ACTION, LABOUR, ActionStatus.IN_PROGRESS, now),
    );
    const reportId = randomUUID();
    await fixture.feed(
      'progressReportTransitioned',
      reportId,
      progressReport(reportId, actionId, LABOUR, 'accepted_by_coordinator', 'Resolution adopted.', [
        FOLLOW_UP_EVIDENCE,
      ]),
    );
  }

  afterAll(async () => {
    await pdf?.close();
    await fixture?.close();
    if (produced.length) process.stdout.write(`Reports produced:\n${produced.join('\n')}\n`);
  });

  it('reads back the English UPR annex as DOCX: a heading per theme, a row per recommendation', async () => {
    const { report, file } = await compile({
      kind: 'upr-annex',
      format: 'docx',
      language: 'en',
      state: 'SVN',
      cycle: 3,
    });
    const xml = await zipEntry(file, 'word/document.xml');
    expect(xml).toContain('Implementation of the recommendations of the Universal Periodic Review');
    const themes = new Set(recommendations.map((r) => r.themes[0] ?? ''));
    expect(count(xml, /<w:pStyle w:val="Heading1"\/>/g)).toBe(themes.size);
    // One header row per theme's table, repeated on each page, plus one row per recommendation.
    expect(count(xml, /<w:tr>|<w:tr /g)).toBe(recommendations.length + themes.size);
    expect(count(xml, /<w:tblHeader\/>/g)).toBe(themes.size);
    expect(xml).not.toContain('<w:bidi/>');
    expect(xml).toContain(recommendations[0].text.slice(0, 40).replace(/&/g, '&amp;'));
    expect(report.rowCount).toBe(215);
    expect(report.wordCount).toBeGreaterThan(5_000);
    expect(xml).toContain(`${report.wordCount!.toLocaleString('en')} of 10,700 words`);
    produced.push(`upr-annex en docx: ${report.rowCount} recommendations, ${report.wordCount} words`);
  });

  it('fills the annex with the latest measurement, the accepted narrative and the evidence, in DOCX, PDF and XLSX', async () => {
    const request = { kind: 'upr-annex', language: 'en', state: 'SVN', cycle: 3 } as const;
    const docx = await compile({ ...request, format: 'docx' });
    const xml = await zipEntry(docx.file, 'word/document.xml');
    expect(xml).toContain(`${INDICATOR}: 318 judges (Jun 30, 2026); target 450 judges`);
    expect(xml).not.toContain('142 judges');
    expect(xml).toContain(NARRATIVE);
    expect(xml).not.toContain(EARLIER_NARRATIVE);
    expect(xml).not.toContain(UNREVIEWED);
    for (const name of EVIDENCE) expect(xml).toContain(name);
    expect(xml).not.toContain('unreviewed.pdf');

    const printed = await compile({ ...request, format: 'pdf' });
    const text = pdfText(printed.file).replace(/\s+/g, ' ');
    expect(text).toMatch(/318 judges/);
    expect(text).not.toMatch(/142 judges/);
    expect(text).toContain('Celje;');
    expect(text).toContain('curriculum.docx');
    expect(text).toMatch(/attendance-\s?2026\.pdf/);
    expect(text).not.toContain('Unreviewed');
    produced.push(`upr-annex en pdf: ${pdfPages(printed.file)} pages`);

    const sheetReport = await compile({ ...request, format: 'xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(sheetReport.file);
    const sheet = workbook.worksheets[0];
    let header = 0;
    let row = 0;
    sheet.eachRow((candidate, number) => {
      if (candidate.getCell(1).value === 'Theme') header = number;
      if (candidate.getCell(2).value === recommendations[0].paragraph) row = number;
    });
    const columns = sheet.getRow(header).values as string[];
    const cell = (label: string) => String(sheet.getRow(row).getCell(columns.indexOf(label)).value);
    expect(row).toBeGreaterThan(header);
    expect(cell('Indicators (latest measurement)')).toBe(
      `${INDICATOR}: 318 judges (Jun 30, 2026); target 450 judges`,
    );
    // The evidence under the narrative, oldest first.
    expect(cell('Narrative')).toBe(`${NARRATIVE}\nEvidence: curriculum.docx, attendance-2026.pdf`);
    expect(cell('Implementation status')).toBe('Completed');
  });

  it('groups the annex by national cluster on request: a recommendation under each of its clusters, the others last', async () => {
    const [first, second, third] = recommendations.map((r) => r.recommendationId);
    const justice = randomUUID();
    const women = randomUUID();
    const cluster = (clusterId: string, name: string, members: string[]) =>
      fixture.feed('clusterChanged', clusterId, {
        clusterId,
        name,
        basis: 'custom',
        addedRecommendationIds: members,
        removedRecommendationIds: [],
        deleted: false,
      });
    await cluster(justice, 'Access to justice', [first, second]);
    await cluster(women, 'Women’s rights', [second, third]);
    try {
      const { report, file } = await compile({
        kind: 'upr-annex',
        format: 'xlsx',
        state: 'SVN',
        cycle: 3,
        groupBy: 'cluster',
      });
      // The second is in both clusters: listed twice, counted once.
      expect(report.rowCount).toBe(recommendations.length);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const sheet = workbook.worksheets[0];
      const paragraphs = new Map(recommendations.map((r) => [r.recommendationId, r.paragraph]));
      const under: string[][] = [];
      let header = 0;
      sheet.eachRow((row, number) => {
        if (row.getCell(1).value === 'National cluster') header = number;
        else if (header && number > header)
          under.push([String(row.getCell(1).value), String(row.getCell(2).value)]);
      });
      expect(header).toBeGreaterThan(0);
      const clusterOf = (name: string) => under.filter(([group]) => group === name).map(([, p]) => p);
      expect(clusterOf('Access to justice').sort()).toEqual(
        [paragraphs.get(first), paragraphs.get(second)].sort(),
      );
      expect(clusterOf('Women’s rights').sort()).toEqual(
        [paragraphs.get(second), paragraphs.get(third)].sort(),
      );
      expect(clusterOf('Recommendations in no national cluster')).toHaveLength(recommendations.length - 3);
      expect(under.at(-1)?.[0]).toBe('Recommendations in no national cluster');
      await expect(
        reports.request({
          kind: 'task-list',
          format: 'pdf',
          institution: 'Ministry of Justice',
          groupBy: 'cluster',
        }),
      ).rejects.toMatchObject({ status: 400 });
    } finally {
      await fixture.feed('clusterChanged', justice, {
        clusterId: justice,
        name: 'Access to justice',
        basis: 'custom',
        addedRecommendationIds: [],
        removedRecommendationIds: [],
        deleted: true,
      });
      await fixture.feed('clusterChanged', women, {
        clusterId: women,
        name: 'Women’s rights',
        basis: 'custom',
        addedRecommendationIds: [],
        removedRecommendationIds: [],
        deleted: true,
      });
    }
  });

  it('renders the Arabic annex right to left with the Arabic status names, the content as entered', async () => {
    const { file } = await compile({
      kind: 'upr-annex',
      format: 'docx',
      language: 'ar',
      state: 'SVN',
      cycle: 3,
    });
    const xml = await zipEntry(file, 'word/document.xml');
    expect(xml).toContain('<w:bidi/>');
    expect(xml).toContain('<w:rtl/>');
    expect(xml).toContain('<w:bidiVisual/>');
    expect(xml).toContain('تنفيذ توصيات الاستعراض الدوري الشامل');
    expect(xml).toContain('مكتملة'); // implemented
    expect(xml).toContain('مؤيدة'); // supported
    expect(xml).toContain(recommendations[0].text.slice(0, 40).replace(/&/g, '&amp;'));
    expect(xml).toContain(NARRATIVE); // as the institution wrote it
    expect(xml).toMatch(new RegExp(`${INDICATOR}: 318 judges \\([^)]*٢٠٢٦\\)`)); // an Arabic date

    const pdfReport = await compile({
      kind: 'upr-annex',
      format: 'pdf',
      language: 'ar',
      state: 'SVN',
      cycle: 3,
    });
    const text = pdfText(pdfReport.file);
    expect(text).toContain('مكتملة');
    expect(text).toContain('الاستعراض');
    const pages = pdfPages(pdfReport.file);
    expect(pageImages(pdfReport.file, 'upr-annex-ar')).toHaveLength(2);
    produced.push(`upr-annex ar pdf: ${pages} pages`);
  });

  it.each([
    ['en', 'Implementation of the recommendations', 'Completed'],
    ['fr', 'Mise en œuvre des recommandations', 'Achevée'],
    ['es', 'Aplicación de las recomendaciones', 'Completada'],
    ['ru', 'Выполнение рекомендаций', 'Выполнена'],
    ['zh', '普遍定期审议建议的落实情况', '已完成'],
  ] as const)('prints the %s annex as PDF in its language', async (language, title, implemented) => {
    const { file } = await compile({ kind: 'upr-annex', format: 'pdf', language, state: 'SVN', cycle: 3 });
    const text = pdfText(file).replace(/\s+/g, ' ');
    expect(text).toContain(title);
    expect(text).toContain(implemented);
    expect(text).toContain('Ratify the Optional Protocol'.slice(0, 10)); // content stays in English
    const pages = pdfPages(file);
    expect(pages).toBeGreaterThan(5);
    expect(pageImages(file, `upr-annex-${language}`)).toHaveLength(2);
    produced.push(`upr-annex ${language} pdf: ${pages} pages`);
  });

  it('gives the annex XLSX the statuses the dashboard counts for the cycle', async () => {
    const { file } = await compile({
      kind: 'upr-annex',
      format: 'xlsx',
      language: 'en',
      state: 'SVN',
      cycle: 3,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0];
    let header = 0;
    sheet.eachRow((row, number) => {
      if (row.getCell(1).value === 'Theme') header = number;
    });
    expect(header).toBeGreaterThan(0);
    const statusColumn = (sheet.getRow(header).values as string[]).indexOf('Implementation status');
    const counted = new Map<string, number>();
    for (let number = header + 1; number <= sheet.rowCount; number += 1) {
      const status = String(sheet.getRow(number).getCell(statusColumn).value);
      counted.set(status, (counted.get(status) ?? 0) + 1);
    }
    // The coordinator's dashboard, by cycle: the same numbers.
    const byCycle = await dashboards.recommendationCounts('cycle', {}, coordinator);
    const cycle3 = byCycle.groups.find((group) => group.key === '3')!;
    const names: Record<string, string> = {
      implemented: 'Completed',
      in_progress: 'Ongoing',
      not_started: 'Not started',
    };
    expect(Object.fromEntries(counted)).toEqual(
      Object.fromEntries(
        Object.entries(cycle3.byStatus)
          .filter(([, cell]) => cell.count > 0)
          .map(([status, cell]) => [names[status], cell.count]),
      ),
    );
    expect(cycle3.total.count).toBe(215);
    expect(counted.get('Completed')).toBe(4);
    expect(counted.get('Ongoing')).toBe(4);
    expect(counted.get('Not started')).toBe(207);
  });

  it('produces the thematic matrix in DOCX and an Arabic XLSX that opens right to left', async () => {
    const docx = await compile({
      kind: 'thematic-matrix',
      format: 'docx',
      language: 'fr',
      state: 'SVN',
      cycle: 3,
    });
    const xml = await zipEntry(docx.file, 'word/document.xml');
    expect(xml).toContain('Matrice thématique des recommandations');
    expect(xml).toContain('Évaluation / observations sur le niveau de mise en œuvre');
    expect(xml).toContain(
      `Institution nationale des droits de l’homme (${OMBUDSMAN}): Partiellement mise en œuvre. ${ASSESSMENT}`,
    );
    expect(xml).not.toContain('Withdrawn view.');
    const xlsx = await compile({
      kind: 'thematic-matrix',
      format: 'xlsx',
      language: 'ar',
      state: 'SVN',
      cycle: 3,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx.file);
    const sheet = workbook.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ rightToLeft: true });
    expect(sheet.getRow(1).getCell(1).value).toBe('المصفوفة المواضيعية للتوصيات');
    expect(sheet.rowCount).toBeGreaterThan(215);
    const values: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => values.push(String(cell.value))));
    expect(values).toContain(`المؤسسة الوطنية لحقوق الإنسان (${OMBUDSMAN}): منفذة جزئياً. ${ASSESSMENT}`);
  });

  it('produces the treaty-body follow-up for the marked paragraphs only, in DOCX and PDF', async () => {
    const request: Omit<ReportRequest, 'format'> = {
      kind: 'treaty-follow-up',
      committee: 'CEDAW',
      state: 'SVN',
      documentSymbol: 'CEDAW/C/SVN/CO/7',
      paragraphs: ['28'],
      language: 'ru',
    };
    const docx = await compile({ ...request, format: 'docx' });
    const xml = await zipEntry(docx.file, 'word/document.xml');
    expect(xml).toContain('Информация о последующих мерах');
    expect(xml).toContain('Paragraph 28: the Committee recommends');
    expect(xml).not.toContain('Paragraph 14:');
    expect(xml).toContain(FOLLOW_UP_ACTION);
    expect(xml).toContain(FOLLOW_UP_EVIDENCE);
    expect(docx.report.rowCount).toBe(1);
    const printed = await compile({ ...request, format: 'pdf' });
    const text = pdfText(printed.file);
    expect(text).toContain('CEDAW/C/SVN/CO/7');
    expect(text).toContain('Мероприятия и учреждения');
    expect(text).toContain(FOLLOW_UP_EVIDENCE);
    expect(text).toContain('Resolution adopted.');
    expect(text.replace(/\s+/g, ' ')).toContain('Adopt the resolution');
    produced.push(`treaty-follow-up ru pdf: ${pdfPages(printed.file)} pages`);
  });

  it('gives a focal point their institution’s task list as PDF and XLSX, with formula-like text inert', async () => {
    const printed = await compile(
      { kind: 'task-list', format: 'pdf', language: 'es', institution: JUSTICE },
      focalJustice,
    );
    const text = pdfText(printed.file);
    expect(text).toContain('Lista de tareas');
    expect(text).toContain('Measure 1 of the plan');
    expect(text).not.toContain('Measure 6 of the plan'); // Interior's
    expect(pageImages(printed.file, 'task-list-es')).not.toHaveLength(0);
    produced.push(`task-list es pdf: ${pdfPages(printed.file)} pages`);

    const sheetReport = await compile({
      kind: 'task-list',
      format: 'xlsx',
      language: 'en',
      institution: JUSTICE,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(sheetReport.file);
    const values: ExcelJS.CellValue[] = [];
    workbook.worksheets[0].eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
    expect(values).toContain(`'=HYPERLINK("http://evil","click") then train judges`);
    expect(values.some((value) => typeof value === 'object' && value !== null && 'formula' in value)).toBe(
      false,
    );
    expect(sheetReport.report.rowCount).toBe(9);
  });

  it('lets only those allowed ask for and download a report', async () => {
    await expect(
      reports.request({ kind: 'upr-annex', format: 'pdf', state: 'SVN', cycle: 3 }, focalJustice),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      reports.request({ kind: 'task-list', format: 'pdf', institution: JUSTICE }, focalInterior),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      reports.request({ kind: 'task-list', format: 'docx', institution: JUSTICE }),
    ).rejects.toMatchObject({
      status: 400,
    });
    await expect(reports.request({ kind: 'upr-annex', format: 'pdf', state: 'SVN' })).rejects.toMatchObject({
      status: 400,
    });

    const justiceList = await reports.request(
      { kind: 'task-list', format: 'pdf', institution: JUSTICE },
      focalJustice,
    );
    const annex = await reports.request(
      { kind: 'upr-annex', format: 'docx', state: 'SVN', cycle: 3 },
      coordinator,
    );
    await expect(reports.get(justiceList.id, focalInterior)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(reports.get(annex.id, focalJustice)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await reports.get(justiceList.id, focalJustice)).id).toBe(justiceList.id);
    const seen = await reports.list({ limit: 100, offset: 0 }, focalInterior);
    expect(seen.items.map((item) => item.id)).not.toContain(justiceList.id);
    const seenByJustice = await reports.list({ limit: 100, offset: 0 }, focalJustice);
    expect(seenByJustice.items.every((item) => item.kind === 'task-list')).toBe(true);
    expect(seenByJustice.items.map((item) => item.id)).toContain(justiceList.id);
  });

  it('restarts a report job killed mid-way and ends with one file, announced once', async () => {
    const requested = await reports.request({
      kind: 'upr-annex',
      format: 'docx',
      language: 'zh',
      state: 'SVN',
      cycle: 3,
    });
    let progressAtKill = -1;
    const dying = new ReportCompiler(fixture.dataSource, fixture.outbox, fixture.reportsDir, {
      pdf,
      beforeRename: async (reportId) => {
        [{ progress: progressAtKill }] = await fixture.dataSource.query(
          `SELECT progress FROM reports WHERE id = $1`,
          [reportId],
        );
        throw new Error('worker killed');
      },
    });
    await expect(dying.compile(requested.id)).rejects.toThrow('worker killed');
    expect(progressAtKill).toBe(90);
    expect((await reports.get(requested.id)).status).toBe('compiling');
    expect(readdirSync(fixture.reportsDir).filter((name) => name.startsWith(requested.id))).toEqual([
      `${requested.id}.docx.tmp`,
    ]);

    // The reconciler finds it compiling and hands it to a worker again.
    const planned: string[] = [];
    for await (const job of new ReportJobSource(fixture.dataSource).expected({
      now: new Date(),
      until: new Date(),
    }))
      planned.push(job.data.reportId);
    expect(planned).toContain(requested.id);
    await compiler.compile(requested.id);
    await compiler.compile(requested.id); // and a needless second run changes nothing
    expect(readdirSync(fixture.reportsDir).filter((name) => name.startsWith(requested.id))).toEqual([
      `${requested.id}.docx`,
    ]);
    const events = (
      await fixture.dataSource.query(`SELECT payload FROM outbox WHERE message_key = $1`, [requested.id])
    ).map((row: { payload: Buffer }) => decodeEnvelope(row.payload, requested.id));
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('ReportCompiled');
    const xml = await zipEntry(join(fixture.reportsDir, `${requested.id}.docx`), 'word/document.xml');
    expect(xml).toContain('普遍定期审议建议的落实情况');
    expect(
      readFileSync(join(fixture.reportsDir, `${requested.id}.docx`))
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('deletes reports past their retention period, file and row', async () => {
    const { report, file } = await compile({ kind: 'task-list', format: 'xlsx', institution: INTERIOR });
    expect(report.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    await fixture.dataSource.transaction((manager) =>
      manager.query(`UPDATE reports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [report.id]),
    );
    await expect(reports.get(report.id)).rejects.toMatchObject({ kind: 'not_found' });
    const reconciler = new ReportReconciler(fixture.dataSource, {} as ReportJobs, fixture.reportsDir);
    expect(await reconciler.purgeExpired()).toBe(1);
    expect(readdirSync(fixture.reportsDir)).not.toContain(file.split('/').pop());
    expect(await fixture.dataSource.query(`SELECT id FROM reports WHERE id = $1`, [report.id])).toEqual([]);
  });
});
