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
import {
  FILE_NAME_RULE,
  isEvidenceUrl,
  isFileName,
  isLinkTitle,
  isNarrative,
  LINK_RULE,
  LINK_TITLE_RULE,
  MAX_FILES,
  MAX_LINKS,
  NARRATIVE_RULE,
  type AssessmentContent,
  type EvidenceFile,
  type EvidenceLink,
} from './assessment';
import { assessmentPublished, assessmentUnpublished } from './assessment-events';
import { authorship, decide, draftsVisibleTo, type Caller, type Operation } from './assessment-policy';
import { Assessment } from './assessment.entity';
import { AssessmentRepository, type AssessmentPage } from './assessment.repository';

/** A write based on a version that is no longer the current one (HTTP: 412). */
export class StaleAssessmentError extends Error {
  constructor(readonly current: number) {
    super(`The assessment has changed since it was read (it is now at version ${current}); read it again`);
  }
}

/** The caller may see the assessment (or the route) but not do this (HTTP: 403). */
export class AssessmentForbiddenError extends Error {}

/** A new assessment without saying which of the caller's organisations writes it (HTTP: 400). */
export class OrganisationRequiredError extends Error {
  constructor() {
    super('organisation is required: you act for several organisations; name the one that writes it');
  }
}

/** Whether the version the caller read is still the current one (HTTP: If-Match). */
export type Precondition = (currentVersion: number) => boolean;

const REFUSALS = {
  not_independent:
    'Only NHRI and civil-society users write assessments, and not while they also hold a government role',
  no_organisation: 'Your sign-in names no organisation to write the assessment for',
  not_a_member: 'You do not act for that organisation',
} as const;

/**
 * Use cases of independent assessments. Who may do what is `assessment-policy.ts`; each change
 * runs in one transaction with its event, so the audit trail names its actor and the public set
 * that reaches other services never differs from what the database says.
 */
@Injectable()
export class AssessmentsService {
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

  /** The evidence files of each assessment. */
  filesOf(assessments: readonly Assessment[]): Promise<Map<string, EvidenceFile[]>> {
    return new AssessmentRepository(this.dataSource.manager).filesOf(assessments.map((one) => one.id));
  }

  async list(
    recommendationId: string,
    caller: Caller | undefined,
    page: AssessmentPage,
  ): Promise<{ items: Assessment[]; total: number }> {
    const repository = new AssessmentRepository(this.dataSource.manager);
    if (!(await repository.recommendationKnown(recommendationId)))
      throw DomainError.notFound('Recommendation', recommendationId);
    return repository.listed(recommendationId, draftsVisibleTo(caller), page);
  }

  async get(id: string, caller: Caller | undefined): Promise<Assessment> {
    const assessment = await new AssessmentRepository(this.dataSource.manager).find(id);
    return permitted(assessment, id, caller, 'read');
  }

  async create(
    recommendationId: string,
    caller: Caller | undefined,
    organisation: string | undefined,
    content: AssessmentContent,
  ): Promise<Assessment> {
    const author = authorship(caller, organisation);
    if (!author.ok) {
      if (author.refusal === 'organisation_required') throw new OrganisationRequiredError();
      throw new AssessmentForbiddenError(REFUSALS[author.refusal]);
    }
    assertValid(content);
    const subject = (caller as Caller).subject;
    return this.dataSource.transaction(async (manager) => {
      const repository = new AssessmentRepository(manager);
      if (!(await repository.recommendationKnown(recommendationId)))
        throw DomainError.notFound('Recommendation', recommendationId);
      const assessment = manager.create(Assessment, {
        id: randomUUID(),
        recommendationId,
        authorOrganisationId: author.organisationId,
        authorKind: author.kind,
        authorSubject: subject,
        ...content,
        published: false,
        publishedAt: null,
        publishedBy: null,
        withdrawnAt: null,
        withdrawnBy: null,
        version: 1,
        updatedBy: subject,
      });
      await repository.insert(assessment);
      return assessment;
    });
  }

  /** Replaces status, narrative and links; a published assessment stays published, as edited. */
  async update(
    id: string,
    caller: Caller | undefined,
    content: AssessmentContent,
    precondition: Precondition,
  ): Promise<Assessment> {
    assertValid(content);
    return this.change(id, caller, 'edit', precondition, async (assessment, repository) => {
      if (sameContent(assessment, content)) return;
      Object.assign(assessment, content);
      await this.write(repository, assessment, caller as Caller);
      await this.republish(repository, assessment);
    });
  }

  /**
   * Stores the file (413 past EVIDENCE_MAX_BYTES, 415 outside the type allow-list) and attaches it.
   * The policy is checked before a byte is read, and again with the row locked; the same bytes
   * attached twice keep their first name.
   */
  async attachFile(
    id: string,
    caller: Caller | undefined,
    name: string,
    source: BlobSource,
    precondition?: Precondition,
  ): Promise<Assessment> {
    if (!isFileName(name)) throw new DomainError('unprocessable', `name ${FILE_NAME_RULE}`);
    const current = permitted(
      await new AssessmentRepository(this.dataSource.manager).find(id),
      id,
      caller,
      'edit',
    );
    if (precondition && !precondition(current.version)) throw new StaleAssessmentError(current.version);
    // Outside the transaction: an upload may take minutes, and must not hold the row's lock. Bytes
    // stored for an attachment that then fails stay unreferenced: content-addressed, they harm nothing.
    const stored = await this.store.put(source, { maxBytes: this.maxFileBytes });
    return this.change(id, caller, 'edit', precondition, async (assessment, repository) => {
      const files = (await repository.filesOf([assessment.id])).get(assessment.id) ?? [];
      if (files.some((file) => file.sha256 === stored.sha256)) return;
      if (files.length >= MAX_FILES)
        throw new DomainError('conflict', `An assessment shows at most ${MAX_FILES} files; remove one first`);
      await repository.attach({
        assessmentId: assessment.id,
        sha256: stored.sha256,
        fileName: name,
        mediaType: stored.mediaType,
        size: stored.size,
        uploadedBy: (caller as Caller).subject,
      });
      await this.write(repository, assessment, caller as Caller);
      await this.republish(repository, assessment);
    });
  }

  async removeFile(
    id: string,
    caller: Caller | undefined,
    sha256: string,
    precondition?: Precondition,
  ): Promise<Assessment> {
    return this.change(id, caller, 'edit', precondition, async (assessment, repository) => {
      if (!isSha256Hex(sha256) || !(await repository.detach(assessment.id, sha256)))
        throw DomainError.notFound('File', sha256);
      await this.write(repository, assessment, caller as Caller);
      await this.republish(repository, assessment);
    });
  }

  /** A file's description and content, for whoever may read the assessment. */
  async openFile(
    id: string,
    caller: Caller | undefined,
    sha256: string,
  ): Promise<{ file: EvidenceFile; content: Readable }> {
    const repository = new AssessmentRepository(this.dataSource.manager);
    permitted(await repository.find(id), id, caller, 'read');
    const file = isSha256Hex(sha256) ? await repository.file(id, sha256) : null;
    if (!file) throw DomainError.notFound('File', sha256);
    return { file, content: await this.store.get(file.sha256) };
  }

  async publish(id: string, caller: Caller | undefined, precondition?: Precondition): Promise<Assessment> {
    return this.change(id, caller, 'publish', precondition, async (assessment, repository) => {
      if (assessment.published) return;
      assessment.published = true;
      assessment.publishedAt = new Date();
      assessment.publishedBy = (caller as Caller).subject;
      await this.write(repository, assessment, caller as Caller);
      await this.republish(repository, assessment);
    });
  }

  async unpublish(id: string, caller: Caller | undefined, precondition?: Precondition): Promise<Assessment> {
    return this.change(id, caller, 'unpublish', precondition, async (assessment, repository) => {
      if (!assessment.published) return;
      takeOffPublicRecord(assessment);
      await this.write(repository, assessment, caller as Caller);
      await this.outbox.append(repository.manager, assessmentUnpublished(assessment, false));
    });
  }

  /** Hides it from everyone for good; the row stays, and the audit trail keeps its history. */
  async withdraw(id: string, caller: Caller | undefined, precondition?: Precondition): Promise<Assessment> {
    return this.change(id, caller, 'withdraw', precondition, async (assessment, repository) => {
      const wasPublished = assessment.published;
      takeOffPublicRecord(assessment);
      assessment.withdrawnAt = new Date();
      assessment.withdrawnBy = (caller as Caller).subject;
      await this.write(repository, assessment, caller as Caller);
      if (wasPublished) await this.outbox.append(repository.manager, assessmentUnpublished(assessment, true));
    });
  }

  /** Locks the assessment, checks the policy, then the version, and applies `apply` in one transaction. */
  private change(
    id: string,
    caller: Caller | undefined,
    operation: Operation,
    precondition: Precondition | undefined,
    apply: (assessment: Assessment, repository: AssessmentRepository) => Promise<void>,
  ): Promise<Assessment> {
    return this.dataSource.transaction(async (manager) => {
      const repository = new AssessmentRepository(manager);
      const assessment = permitted(await repository.find(id, { lock: true }), id, caller, operation);
      if (precondition && !precondition(assessment.version))
        throw new StaleAssessmentError(assessment.version);
      await apply(assessment, repository);
      return assessment;
    });
  }

  /** A published assessment's new state, whole, for the public set. */
  private async republish(repository: AssessmentRepository, assessment: Assessment): Promise<void> {
    if (!assessment.published) return;
    const files = (await repository.filesOf([assessment.id])).get(assessment.id) ?? [];
    await this.outbox.append(repository.manager, assessmentPublished(assessment, files));
  }

  private async write(repository: AssessmentRepository, assessment: Assessment, caller: Caller) {
    assessment.version += 1;
    assessment.updatedBy = caller.subject;
    await repository.save(assessment);
  }
}

/** The assessment, when the policy lets the caller do `operation` with it; 404 or 403 otherwise. */
function permitted(
  assessment: Assessment | null,
  id: string,
  caller: Caller | undefined,
  operation: Operation,
): Assessment {
  const decision = assessment
    ? decide(caller, operation, {
        authorOrganisationId: assessment.authorOrganisationId,
        published: assessment.published,
        withdrawn: assessment.withdrawnAt !== null,
      })
    : 'not_found';
  if (decision === 'not_found' || !assessment) throw DomainError.notFound('Assessment', id);
  if (decision === 'forbidden')
    throw new AssessmentForbiddenError(
      `Only members of ${assessment.authorOrganisationId} with an NHRI or civil-society role may ${operation} this assessment`,
    );
  return assessment;
}

function takeOffPublicRecord(assessment: Assessment): void {
  assessment.published = false;
  assessment.publishedAt = null;
  assessment.publishedBy = null;
}

/** The HTTP DTOs check the same rules; this keeps the use cases safe for any other caller. */
function assertValid(content: AssessmentContent): void {
  const problems: string[] = [];
  if (!isNarrative(content.narrative)) problems.push(`narrative ${NARRATIVE_RULE}`);
  if (content.links.length > MAX_LINKS) problems.push(`links must list at most ${MAX_LINKS} links`);
  if (content.links.some((link) => !isEvidenceUrl(link.url))) problems.push(`each link url ${LINK_RULE}`);
  if (content.links.some((link) => link.title !== null && !isLinkTitle(link.title)))
    problems.push(`each link title ${LINK_TITLE_RULE}`);
  if (problems.length > 0) throw new DomainError('unprocessable', problems.join('; '));
}

function sameContent(assessment: Assessment, content: AssessmentContent): boolean {
  return (
    assessment.status === content.status &&
    assessment.narrative === content.narrative &&
    sameLinks(assessment.links, content.links)
  );
}

// jsonb keeps keys in its own order: compare the fields, not the serialised text.
function sameLinks(a: readonly EvidenceLink[], b: readonly EvidenceLink[]): boolean {
  return (
    a.length === b.length &&
    a.every((link, index) => link.url === b[index].url && (link.title ?? null) === (b[index].title ?? null))
  );
}
