import { Injectable } from '@nestjs/common';
import { DomainError, EventOutbox } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  isEvidenceUrl,
  isLinkTitle,
  isNarrative,
  LINK_RULE,
  LINK_TITLE_RULE,
  MAX_LINKS,
  NARRATIVE_RULE,
  type AssessmentContent,
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
  ) {}

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
      if (assessment.published) await this.outbox.append(repository.manager, assessmentPublished(assessment));
    });
  }

  async publish(id: string, caller: Caller | undefined, precondition?: Precondition): Promise<Assessment> {
    return this.change(id, caller, 'publish', precondition, async (assessment, repository) => {
      if (assessment.published) return;
      assessment.published = true;
      assessment.publishedAt = new Date();
      assessment.publishedBy = (caller as Caller).subject;
      await this.write(repository, assessment, caller as Caller);
      await this.outbox.append(repository.manager, assessmentPublished(assessment));
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
