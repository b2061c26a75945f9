import { ActionStatus, timestampFromDate } from '@nmirf/contracts';
import { randomUUID } from 'node:crypto';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';
import { SummaryService } from './summary.service';

jest.setTimeout(60_000);

describe('GET /summary groups by directory id (real PostgreSQL)', () => {
  let fixture: ReportingFixture;
  const recommendationId = randomUUID();
  const [renamed, same, legacy] = [randomUUID(), randomUUID(), randomUUID()];
  const due = timestampFromDate(new Date(Date.now() + 30 * 86_400_000));
  const assigned = (actionId: string, institution: string, institutionId: string | undefined) =>
    fixture.feed('actionAssigned', actionId, {
      actionId,
      recommendationId,
      title: 'Work',
      institution,
      institutionId,
      dueAt: due,
      previousInstitution: '',
      status: ActionStatus.ASSIGNED,
    });

  beforeAll(async () => {
    fixture = await startReportingFixture();
    // The ministry was renamed between two assignments: one institution still, by its id.
    await assigned(renamed, 'Ministry of Justice', 'ministry-of-justice');
    await assigned(same, 'Ministry of Justice and Public Administration', 'ministry-of-justice');
    // From before the directory: its name only.
    await assigned(legacy, 'Ministry of Health', undefined);
  });
  afterAll(() => fixture?.close());

  it('counts one row per directory id, named by the events, and the older actions by name', async () => {
    const summary = await new SummaryService(fixture.dataSource).summarize({});
    expect(summary.total).toBe(3);
    expect(summary.byInstitution.map(({ institutionId, total }) => [institutionId, total])).toEqual([
      [null, 1],
      ['ministry-of-justice', 2],
    ]);
    const justice = await new SummaryService(fixture.dataSource).summarize({
      institution: 'Ministry-of-Justice',
    });
    expect(justice.total).toBe(2);
    const byName = await new SummaryService(fixture.dataSource).summarize({
      institution: 'Ministry of Health',
    });
    expect(byName.byInstitution).toMatchObject([
      { institutionId: null, institution: 'Ministry of Health', total: 1 },
    ]);
  });
});
