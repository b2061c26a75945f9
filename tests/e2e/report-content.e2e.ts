// What the actions service knows reaches the annex, the services as processes: an indicator measured
// twice and a progress report accepted with its evidence travel over Kafka to reporting, whose worker
// compiles the UPR annex with the latest measurement, the narrative and the evidence; a report still
// under review stays out.
import { bearer, demoToken, http, Stack, waitFor, type DemoUser } from '@nmirf/testing';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { MINISTRY } from './helpers';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const NARRATIVE = 'Seminars held in Ljubljana and Maribor for the first judges.';
const UNREVIEWED = 'Draft claim not yet reviewed.';
const INDICATOR = 'Judges trained on the Convention';

function zipEntry(bytes: Buffer, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error(`${name} not in the document`)));
      zip.readEntry();
    });
  });
}

describe('report content from the actions service to the compiled annex', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'report_content' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const actions = (path: string) => `${stack.url('actions')}${path}`;
  const reporting = (path: string) => `${stack.url('reporting')}${path}`;
  const as = async (user: DemoUser, extra: Record<string, string> = {}) => ({
    ...bearer(await demoToken(user)),
    ...extra,
  });
  async function command(actionId: string, name: string, user: DemoUser, body?: unknown) {
    const read = await http('GET', actions(`/actions/${actionId}`));
    const answer = await http(
      'POST',
      actions(`/actions/${actionId}/${name}`),
      body,
      await as(user, { 'if-match': `"${read.body.version}"` }),
    );
    expect({ name, status: answer.status, body: answer.body }).toMatchObject({ name, status: 200 });
  }
  async function reportStep(reportId: string, step: string, user: DemoUser) {
    const answer = await http(
      'POST',
      actions(`/progress-reports/${reportId}/${step}`),
      undefined,
      await as(user),
    );
    expect({ step, status: answer.status, body: answer.body }).toMatchObject({ step, status: 200 });
  }
  async function progressReport(actionId: string, narrative: string, file: string): Promise<string> {
    const report = await http(
      'POST',
      actions(`/actions/${actionId}/progress-reports`),
      { narrative, percentage: 40, final: false },
      await as('focal.justice'),
    );
    expect(report.status).toBe(201);
    const upload = await fetch(actions(`/progress-reports/${report.body.id}/evidence?name=${file}`), {
      method: 'POST',
      headers: await as('focal.justice', { 'content-type': 'application/octet-stream' }),
      body: PDF,
    });
    expect(upload.status).toBe(201);
    await reportStep(report.body.id, 'submit', 'focal.justice');
    return report.body.id as string;
  }
  /** Asks for the annex and waits for the worker to write it; the file's bytes. */
  async function compileAnnex(format: 'docx' | 'pdf' | 'xlsx', cycle: number): Promise<Buffer> {
    const requested = await http('POST', reporting('/reports'), {
      kind: 'upr-annex',
      format,
      language: 'en',
      state: 'SVN',
      cycle,
    });
    expect(requested.status).toBe(202);
    await waitFor(`the ${format} annex`, async () => {
      const report = await http('GET', reporting(`/reports/${requested.body.id}`));
      if (report.body?.status === 'failed')
        throw new Error(`compilation failed: ${JSON.stringify(report.body)}`);
      return report.body?.status === 'ready' || undefined;
    });
    const file = await fetch(reporting(`/reports/${requested.body.id}/file`), {
      headers: await as('coordinator'),
    });
    expect(file.status).toBe(200);
    return Buffer.from(await file.arrayBuffer());
  }

  it('puts the latest measurement, the accepted narrative and its evidence in the annex, DOCX, XLSX and PDF', async () => {
    const created = await http('POST', `${stack.url('recommendations')}/recommendations`, {
      body: 'UPR',
      documentSymbol: 'A/HRC/43/15',
      paragraph: '121.1',
      text: 'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance',
      recommendingStates: ['France', 'Lithuania'],
      position: 'supported',
      stateUnderReview: 'SVN',
      uprSession: 34,
    });
    expect(created.status).toBe(201);
    const recommendationId = created.body.id as string;
    const cycle = (await http('GET', `${stack.url('recommendations')}/recommendations/${recommendationId}`))
      .body.uprCycle as number;
    expect(cycle).toBe(3);

    // The plan's action, led by Justice and under way, with an indicator measured twice.
    const action = await waitFor('the action to be created', async () => {
      const answer = await http('POST', actions('/actions'), {
        recommendationId,
        title: 'Train judges on the Convention',
      });
      if (answer.status === 422) return undefined; // the recommendation is still on its way
      expect(answer.status).toBe(201);
      return answer.body as { id: string };
    });
    await command(action.id, 'assign', 'coordinator', {
      institution: MINISTRY,
      dueDate: new Date(Date.now() + 200 * 86_400_000).toISOString(),
    });
    await command(action.id, 'acknowledge', 'focal.justice');
    await command(action.id, 'start', 'focal.justice');
    const indicator = await http('POST', actions(`/actions/${action.id}/indicators`), {
      name: INDICATOR,
      type: 'process',
      unit: 'judges',
      baseline: { value: 0, date: '2025-01-01' },
      target: { value: 300, date: '2027-12-31' },
      frequency: 'quarterly',
      dataSource: 'Judicial Training Centre records',
    });
    expect(indicator.status).toBe(201);
    for (const [value, date] of [
      [45, '2025-06-30'],
      [132, '2025-09-30'],
    ] as const) {
      const measured = await http(
        'POST',
        actions(`/indicators/${indicator.body.id}/measurements`),
        { value, date },
        await as('focal.justice'),
      );
      expect(measured.status).toBe(201);
    }

    // One report accepted through the review; a second one only submitted.
    const accepted = await progressReport(action.id, NARRATIVE, 'attendance.pdf');
    await reportStep(accepted, 'approve', 'validator.justice');
    await reportStep(accepted, 'accept', 'coordinator');
    await progressReport(action.id, UNREVIEWED, 'unreviewed.pdf');

    // The events reach reporting over Kafka: compile until the annex shows the accepted narrative.
    const xml = await waitFor('the annex to show the accepted narrative', async () => {
      const document = await zipEntry(await compileAnnex('docx', cycle), 'word/document.xml');
      return document.includes(NARRATIVE) && document.includes('132 judges') ? document : undefined;
    });
    expect(xml).toContain(`${INDICATOR}: 132 judges (Sep 30, 2025); target 300 judges`);
    expect(xml).not.toContain('45 judges');
    expect(xml).toContain('attendance.pdf');
    expect(xml).not.toContain(UNREVIEWED);
    expect(xml).not.toContain('unreviewed.pdf');

    const xlsxFile = join(stack.reportsDir, 'report-content-annex.xlsx');
    writeFileSync(xlsxFile, await compileAnnex('xlsx', cycle));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxFile);
    const cells: string[] = [];
    workbook.worksheets[0].eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    expect(cells).toContain(`${INDICATOR}: 132 judges (Sep 30, 2025); target 300 judges`);
    expect(cells).toContain(`${NARRATIVE}\nEvidence: attendance.pdf`);

    const pdfFile = join(stack.reportsDir, 'report-content-annex.pdf');
    writeFileSync(pdfFile, await compileAnnex('pdf', cycle));
    const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('132 judges');
    expect(text).toContain('Ljubljana and Maribor');
    expect(text).toContain('attendance.pdf');
    expect(text).not.toContain('Draft claim');
  });
});
