import {
  ActionStatus,
  ImplementationStatus as Contract,
  RecommendationPosition,
  timestampFromDate,
  type PayloadInit,
} from '@nmirf/contracts';
import { PermanentEventError } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { SummaryService } from '../summary/summary.service';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';

jest.setTimeout(60_000);

const JUSTICE = 'Ministry of Justice';

describe('reporting: implementation status in the read model and the summary (real PostgreSQL)', () => {
  let fixture: ReportingFixture;
  const [early, planned, untouched] = [randomUUID(), randomUUID(), randomUUID()];

  const created = (recommendationId: string, paragraph: string): PayloadInit<'recommendationCreated'> => ({
    recommendationId,
    mechanism: 'UPR',
    documentSymbol: 'A/HRC/43/15',
    paragraph,
    text: 'Ratify the Convention',
    recommendingStates: ['Chile'],
    position: RecommendationPosition.SUPPORTED,
    mechanismKind: 'upr',
    stateUnderReview: 'SVN',
    uprCycle: 3,
    uprSession: 34,
    themes: [],
    sdgTargets: [],
    annotationId: '',
    version: 1,
  });
  const statusChanged = (recommendationId: string, status: Contract, previousStatus = Contract.NOT_STARTED) =>
    fixture.feed('recommendationImplementationStatusChanged', recommendationId, {
      recommendationId,
      status,
      previousStatus,
      derivedStatus: status,
      overridden: false,
      justification: '',
    });
  const rows = () =>
    fixture.dataSource.query(
      `SELECT id, document_symbol AS "documentSymbol", paragraph, implementation_status AS status
         FROM recommendation_view ORDER BY paragraph`,
    );

  beforeAll(async () => {
    fixture = await startReportingFixture();
  });
  afterAll(() => fixture?.close());

  it('keeps a status that overtook its recommendation, and the recommendation’s details once they arrive', async () => {
    await statusChanged(early, Contract.IN_PROGRESS);
    await statusChanged(early, Contract.IMPLEMENTED, Contract.IN_PROGRESS);
    await fixture.feed('recommendationCreated', early, created(early, '121.1'));
    await fixture.feed('recommendationCreated', planned, created(planned, '121.2'));
    await statusChanged(planned, Contract.IN_PROGRESS);
    await fixture.feed('recommendationCreated', untouched, created(untouched, '121.3'));
    // A re-import does not reset the status.
    await fixture.feed('recommendationUpdated', early, {
      ...created(early, '121.1'),
      version: 2,
      changedFields: ['text'],
      positionJustification: '',
    });
    expect(await rows()).toEqual([
      { id: early, documentSymbol: 'A/HRC/43/15', paragraph: '121.1', status: 'implemented' },
      { id: planned, documentSymbol: 'A/HRC/43/15', paragraph: '121.2', status: 'in_progress' },
      { id: untouched, documentSymbol: 'A/HRC/43/15', paragraph: '121.3', status: 'not_started' },
    ]);
  });

  it('counts recommendations by implementation status, overall and for an institution’s recommendations', async () => {
    const actionId = randomUUID();
    await fixture.feed('actionAssigned', actionId, {
      actionId,
      recommendationId: planned,
      title: 'Draft the bill',
      institution: JUSTICE,
      dueAt: timestampFromDate(new Date(Date.now() + 30 * 86_400_000)),
      previousInstitution: '',
      status: ActionStatus.IN_PROGRESS,
    });
    const summaries = new SummaryService(fixture.dataSource);
    expect((await summaries.summarize({})).byImplementationStatus).toEqual({
      not_started: 1,
      in_progress: 1,
      partially_implemented: 0,
      implemented: 1,
      no_longer_applicable: 0,
    });
    expect((await summaries.summarize({ institution: JUSTICE })).byImplementationStatus).toEqual({
      not_started: 0,
      in_progress: 1,
      partially_implemented: 0,
      implemented: 0,
      no_longer_applicable: 0,
    });
  });

  it('dead-letters a status it cannot read, changing nothing', async () => {
    const before = await rows();
    await expect(statusChanged(untouched, Contract.UNSPECIFIED)).rejects.toThrow(PermanentEventError);
    expect(await rows()).toEqual(before);
  });
});
