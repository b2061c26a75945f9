import {
  AssessmentAuthorKind,
  ImplementationStatus,
  timestampFromDate,
  type PayloadInit,
} from '@nmirf/contracts';
import type { PendingEvent } from '@nmirf/platform';
import type { AssessmentStatus, AuthorKind, EvidenceFile } from './assessment';
import type { Assessment } from './assessment.entity';

const contractStatus: Record<AssessmentStatus, ImplementationStatus> = {
  not_started: ImplementationStatus.NOT_STARTED,
  in_progress: ImplementationStatus.IN_PROGRESS,
  partially_implemented: ImplementationStatus.PARTIALLY_IMPLEMENTED,
  implemented: ImplementationStatus.IMPLEMENTED,
  no_longer_applicable: ImplementationStatus.NO_LONGER_APPLICABLE,
};

const contractKind: Record<AuthorKind, AssessmentAuthorKind> = {
  nhri: AssessmentAuthorKind.NHRI,
  civil_society: AssessmentAuthorKind.CIVIL_SOCIETY,
};

/** The whole published assessment, as a public portal shows it, with its files' descriptions. */
export function assessmentPublished(assessment: Assessment, files: readonly EvidenceFile[]): PendingEvent {
  if (!assessment.publishedAt) throw new Error(`Assessment ${assessment.id} is not published`);
  const payload: PayloadInit<'assessmentPublished'> = {
    assessmentId: assessment.id,
    recommendationId: assessment.recommendationId,
    authorOrganisationId: assessment.authorOrganisationId,
    authorKind: contractKind[assessment.authorKind],
    status: contractStatus[assessment.status],
    narrative: assessment.narrative,
    links: assessment.links.map((link) => ({
      $typeName: 'nmirf.events.v1.AssessmentLink',
      url: link.url,
      title: link.title ?? '',
    })),
    publishedAt: timestampFromDate(assessment.publishedAt),
    updatedAt: timestampFromDate(assessment.updatedAt),
    version: assessment.version,
    files: files.map((file) => ({
      $typeName: 'nmirf.events.v1.AssessmentFile',
      sha256: file.sha256,
      name: file.name,
      mediaType: file.mediaType,
      size: BigInt(file.size),
    })),
  };
  return { case: 'assessmentPublished', aggregateId: assessment.id, payload };
}

export function assessmentUnpublished(assessment: Assessment, withdrawn: boolean): PendingEvent {
  return {
    case: 'assessmentUnpublished',
    aggregateId: assessment.id,
    payload: { assessmentId: assessment.id, recommendationId: assessment.recommendationId, withdrawn },
  };
}
