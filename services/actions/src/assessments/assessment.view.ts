import type { EvidenceFile } from './assessment';
import { isMember, type Caller } from './assessment-policy';
import type { Assessment } from './assessment.entity';

/**
 * What anyone who may read it sees: the assessment, its author organisation (not the people) and its
 * files, each downloaded from `GET /assessments/{id}/files/{sha256}`.
 */
export function publicView(assessment: Assessment, files: readonly EvidenceFile[]) {
  return {
    id: assessment.id,
    recommendationId: assessment.recommendationId,
    authorOrganisationId: assessment.authorOrganisationId,
    authorKind: assessment.authorKind,
    status: assessment.status,
    narrative: assessment.narrative,
    links: assessment.links.map((link) => ({ url: link.url, title: link.title ?? null })),
    files: files.map(({ sha256, name, mediaType, size, uploadedAt }) => ({
      sha256,
      name,
      mediaType,
      size,
      uploadedAt,
    })),
    published: assessment.published,
    publishedAt: assessment.publishedAt,
    createdAt: assessment.createdAt,
    updatedAt: assessment.updatedAt,
  };
}

/** For the author organisation's members: also who wrote, changed and published it, and the version. */
export function authorView(assessment: Assessment, files: readonly EvidenceFile[]) {
  return {
    ...publicView(assessment, files),
    authorSubject: assessment.authorSubject,
    updatedBy: assessment.updatedBy,
    publishedBy: assessment.publishedBy,
    version: assessment.version,
  };
}

export const viewFor =
  (caller: Caller | undefined, files: ReadonlyMap<string, readonly EvidenceFile[]>) =>
  (assessment: Assessment) => {
    const shown = files.get(assessment.id) ?? [];
    return isMember(caller, assessment.authorOrganisationId)
      ? authorView(assessment, shown)
      : publicView(assessment, shown);
  };

/** A strong ETag: the version counts every write. */
export const etagOf = (assessment: Assessment) => `"${assessment.version}"`;
