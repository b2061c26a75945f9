import { Inject, Injectable } from '@nestjs/common';
import {
  BLOB_STORE,
  CONFIG,
  DomainError,
  EventOutbox,
  isSha256Hex,
  type BlobSource,
  type BlobStore,
  type EvidenceStorageConfig,
} from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { decide, type Actor, type Command, type ReportStatus, type WorkflowState } from '../workflow';
import { isParty, sameInstitution } from '../workflow/actor';
import {
  actorOf,
  contentProblems,
  EDITABLE,
  FILE_NAME_RULE,
  isFileName,
  MAX_FILES,
  maySee,
  maySeeAction,
  ReportRefusedError,
  stamp,
  type ActionFacts,
  type EvidenceFile,
  type ProgressReport,
  type ReportContent,
  type ReportReturn,
} from './progress-report';
import { completeActionByReport } from './action-completion';
import { progressReportTransitioned } from './progress-report-events';
import { ProgressReportRepository } from './progress-report.repository';

/** The caller as the token says (the platform's Principal fits). */
export interface Caller {
  subject: string;
  roles: ReadonlySet<string>;
  institutions: readonly string[];
}

/** A write based on a version that is no longer the current one (HTTP: 412). */
export class StaleReportError extends Error {
  constructor(readonly current: number) {
    super(`The report has changed since it was read (it is now at version ${current}); read it again`);
  }
}

/** Whether the version the caller read is still the current one (HTTP: If-Match). */
export type Precondition = (currentVersion: number) => boolean;

/** A step of the review, as the HTTP routes name them. */
export type ReviewStep =
  { step: 'submit' } | { step: 'approve' } | { step: 'accept' } | { step: 'return'; comments: string };

export interface ReportDetails {
  report: ProgressReport;
  returns: ReportReturn[];
  files: EvidenceFile[];
}

/**
 * Use cases of progress reports. Who may take which step is the workflow module's `decide`; each
 * step runs in one transaction with its event, so the audit trail names the actor.
 */
@Injectable()
export class ProgressReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @Inject(CONFIG) private readonly config: Pick<EvidenceStorageConfig, 'EVIDENCE_MAX_BYTES'>,
  ) {}

  /** Largest evidence file accepted, in bytes. */
  get maxFileBytes(): number {
    return this.config.EVIDENCE_MAX_BYTES;
  }

  /** A new draft by a focal point of the action's lead or of a supporting institution. */
  async create(actionId: string, caller: Caller, content: ReportContent): Promise<ReportDetails> {
    assertValid(content);
    const actor = actorOf(caller);
    return this.dataSource.transaction(async (manager) => {
      const repository = new ProgressReportRepository(manager);
      const action = visibleAction(await repository.action(actionId, { lock: true }), actionId, actor);
      const decision = decide({ action, report: null }, { type: 'draftReport' }, actor);
      if (!decision.ok) throw new ReportRefusedError(decision.code);
      const institution = decision.state.report?.institution ?? '';
      if (content.final && !sameInstitution(institution, action.lead ?? ''))
        throw new ReportRefusedError('final_by_lead_only');
      const report: ProgressReport = {
        id: randomUUID(),
        actionId,
        institutionId: institution,
        status: 'draft',
        ...content,
        version: 1,
        createdBy: caller.subject,
        createdAt: new Date(),
        updatedBy: caller.subject,
        updatedAt: new Date(),
        submittedBy: null,
        submittedAt: null,
        approvedBy: null,
        approvedAt: null,
        acceptedBy: null,
        acceptedAt: null,
      };
      await repository.insert(report);
      await this.outbox.append(
        manager,
        ...decision.events.map((event) => progressReportTransitioned(report, event)),
      );
      return { report, returns: [], files: [] };
    });
  }

  /** Rewrites a draft, or a returned report before it goes again; the reporting institution's focal points. */
  async update(
    id: string,
    caller: Caller,
    content: ReportContent,
    precondition: Precondition,
  ): Promise<ReportDetails> {
    assertValid(content);
    return this.change(id, caller, precondition, async (report, action, repository) => {
      const actor = actorOf(caller);
      const state: WorkflowState = { action, report: { ...report, institution: report.institutionId } };
      if (!isParty('report_focal_point', actor, state)) throw new ReportRefusedError('forbidden');
      if (!EDITABLE.includes(report.status) || action.status !== 'in_progress')
        throw new ReportRefusedError('invalid_transition');
      if (content.final && !sameInstitution(report.institutionId, action.lead ?? ''))
        throw new ReportRefusedError('final_by_lead_only');
      Object.assign(report, content);
      report.version += 1;
      report.updatedBy = caller.subject;
      await repository.update(report);
    });
  }

  /** Submit, approve, accept or return: the workflow decides whether the caller may, and what follows. */
  async review(
    id: string,
    caller: Caller,
    step: ReviewStep,
    precondition?: Precondition,
  ): Promise<ReportDetails> {
    return this.change(id, caller, precondition, async (report, action, repository) => {
      const actor = actorOf(caller);
      const state: WorkflowState = {
        action,
        report: { status: report.status, institution: report.institutionId, final: report.final },
      };
      const command = commandOf(step, report);
      const decision = decide(state, command, actor);
      if (!decision.ok) throw new ReportRefusedError(decision.code);
      const reportEvents = decision.events.filter((event) => event.type.startsWith('progress_report.'));
      report.status = decision.state.report?.status ?? report.status;
      report.version += 1;
      report.updatedBy = caller.subject;
      stamp(report, reportEvents, caller.subject, new Date());
      await repository.update(report);
      if (command.type === 'returnReport' || command.type === 'returnReview')
        await repository.addReturn(report.id, {
          stage: command.type === 'returnReport' ? 'validator' : 'coordinator',
          comments: command.comments,
          returnedBy: caller.subject,
        });
      const files = (await repository.filesOf([report.id])).get(report.id) ?? [];
      await this.outbox.append(
        repository.manager,
        ...reportEvents.map((event) => progressReportTransitioned(report, event, files)),
      );
      if (decision.state.action.status === 'completed')
        await completeActionByReport(repository, this.outbox, action);
    });
  }

  async list(actionId: string, caller: Caller): Promise<ReportDetails[]> {
    const repository = new ProgressReportRepository(this.dataSource.manager);
    const actor = actorOf(caller);
    const action = visibleAction(await repository.action(actionId), actionId, actor);
    const reports = (await repository.ofAction(actionId)).filter((report) => maySee(actor, action, report));
    return this.details(repository, reports);
  }

  /**
   * Reports across actions, for queues: the coordinator's are all; a focal point's or validator's,
   * those their own institutions wrote (not the supporting institutions' reports on actions they
   * lead, which each action's list shows); anyone else's, none.
   */
  async page(
    caller: Caller,
    filter: { status?: ReportStatus; limit: number; offset: number },
  ): Promise<{ items: (ReportDetails & { actionTitle: string })[]; total: number }> {
    const actor = actorOf(caller);
    const mayList = actor.roles.includes('focal_point') || actor.roles.includes('institution_validator');
    if (!actor.roles.includes('coordinator') && (!mayList || actor.institutions.length === 0))
      return { items: [], total: 0 };
    const repository = new ProgressReportRepository(this.dataSource.manager);
    const institutions = actor.roles.includes('coordinator') ? null : actor.institutions;
    const { items, total } = await repository.page({ ...filter, institutions });
    const details = await this.details(
      repository,
      items.map((item) => item.report),
    );
    return {
      items: details.map((detail, index) => ({ ...detail, actionTitle: items[index].actionTitle })),
      total,
    };
  }

  async get(id: string, caller: Caller): Promise<ReportDetails> {
    const repository = new ProgressReportRepository(this.dataSource.manager);
    const { report } = await visibleReport(repository, id, actorOf(caller));
    return (await this.details(repository, [report]))[0];
  }

  /**
   * Stores the file (413 past EVIDENCE_MAX_BYTES, 415 outside the type allow-list) and attaches it.
   * Who may is checked before a byte is read, and again with the report locked: the reporting
   * institution's focal points, while the report is theirs to edit.
   */
  async attachFile(
    id: string,
    caller: Caller,
    name: string,
    source: BlobSource,
    precondition?: Precondition,
  ): Promise<ReportDetails> {
    if (!isFileName(name)) throw new DomainError('unprocessable', `name ${FILE_NAME_RULE}`);
    const mayAttach = async (report: ProgressReport, action: ActionFacts) => {
      const actor = actorOf(caller);
      const state: WorkflowState = { action, report: { ...report, institution: report.institutionId } };
      if (!isParty('report_focal_point', actor, state)) throw new ReportRefusedError('forbidden');
      if (!EDITABLE.includes(report.status)) throw new ReportRefusedError('invalid_transition');
    };
    const repository = new ProgressReportRepository(this.dataSource.manager);
    const current = await visibleReport(repository, id, actorOf(caller));
    await mayAttach(current.report, current.action);
    if (precondition && !precondition(current.report.version))
      throw new StaleReportError(current.report.version);
    // Outside the transaction: an upload may take minutes and must not hold the row's lock. Bytes
    // stored for an attachment that then fails stay unreferenced: content-addressed, they harm nothing.
    const stored = await this.store.put(source, { maxBytes: this.maxFileBytes });
    return this.change(id, caller, precondition, async (report, action, locked) => {
      await mayAttach(report, action);
      const files = (await locked.filesOf([report.id])).get(report.id) ?? [];
      if (files.some((file) => file.sha256 === stored.sha256)) return;
      if (files.length >= MAX_FILES)
        throw new DomainError('conflict', `A report shows at most ${MAX_FILES} files`);
      await locked.attach(report.id, {
        sha256: stored.sha256,
        name,
        mediaType: stored.mediaType,
        size: stored.size,
        uploadedBy: caller.subject,
      });
      report.version += 1;
      report.updatedBy = caller.subject;
      await locked.update(report);
    });
  }

  /** A file's description and content, for whoever may see the report; 404 for anyone else. */
  async openFile(
    id: string,
    caller: Caller,
    sha256: string,
  ): Promise<{ file: EvidenceFile; content: Readable }> {
    const repository = new ProgressReportRepository(this.dataSource.manager);
    await visibleReport(repository, id, actorOf(caller));
    const file = isSha256Hex(sha256) ? await repository.file(id, sha256) : null;
    if (!file) throw DomainError.notFound('File', sha256);
    return { file, content: await this.store.get(file.sha256) };
  }

  /** Locks the action and the report, checks who may see it and the version, then applies `apply`. */
  private change(
    id: string,
    caller: Caller,
    precondition: Precondition | undefined,
    apply: (
      report: ProgressReport,
      action: ActionFacts,
      repository: ProgressReportRepository,
    ) => Promise<void>,
  ): Promise<ReportDetails> {
    return this.dataSource.transaction(async (manager) => {
      const repository = new ProgressReportRepository(manager);
      const { report, action } = await visibleReport(repository, id, actorOf(caller), { lock: true });
      if (precondition && !precondition(report.version)) throw new StaleReportError(report.version);
      await apply(report, action, repository);
      return (await this.details(repository, [report]))[0];
    });
  }

  private async details(
    repository: ProgressReportRepository,
    reports: ProgressReport[],
  ): Promise<ReportDetails[]> {
    const ids = reports.map((report) => report.id);
    const [returns, files] = await Promise.all([repository.returnsOf(ids), repository.filesOf(ids)]);
    return reports.map((report) => ({
      report,
      returns: returns.get(report.id) ?? [],
      files: files.get(report.id) ?? [],
    }));
  }
}

function commandOf(step: ReviewStep, report: ProgressReport): Command {
  switch (step.step) {
    case 'submit':
      return { type: 'submitReport', final: report.final };
    case 'approve':
      return { type: 'approveReport' };
    case 'accept':
      return { type: 'acceptReport' };
    case 'return':
      // The validator returns a submitted report; the coordinator one the validator approved.
      return report.status === 'approved_by_validator'
        ? { type: 'returnReview', comments: step.comments }
        : { type: 'returnReport', comments: step.comments };
  }
}

/** The action, when the caller may see its reports; 404 otherwise, so no one learns it exists. */
function visibleAction(action: ActionFacts | null, id: string, actor: Actor): ActionFacts {
  if (!action || !maySeeAction(actor, action)) throw DomainError.notFound('Action', id);
  return action;
}

/** The report and its action, when the caller may see the report; 404 otherwise. */
async function visibleReport(
  repository: ProgressReportRepository,
  id: string,
  actor: Actor,
  options: { lock?: boolean } = {},
): Promise<{ report: ProgressReport; action: ActionFacts }> {
  const unlocked = await repository.find(id);
  // The action first, then the report: the order every step of every report takes its locks in.
  const action = unlocked && (await repository.action(unlocked.actionId, options));
  const report = options.lock ? await repository.find(id, options) : unlocked;
  if (!report || !action || !maySee(actor, action, report)) throw DomainError.notFound('Progress report', id);
  return { report, action };
}

/** The HTTP DTOs check the same rules; this keeps the use cases safe for any other caller. */
function assertValid(content: ReportContent): void {
  const problems = contentProblems(content);
  if (problems.length > 0) throw new DomainError('unprocessable', problems.join('; '));
}
