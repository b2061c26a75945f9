import { draftOf } from './institutions.service';
import type { Institution } from './institution.entity';

/** What anyone may see: the directory as published, without who works where. */
export function publicView(institution: Institution) {
  const { id, kind, parentId, names, acronym, active } = draftOf(institution);
  return { id, kind, parentId, names, acronym, active };
}

/** For signed-in users: also the focal points and validators, the review flag and the version (ETag). */
export function fullView(institution: Institution) {
  const draft = draftOf(institution);
  return {
    ...publicView(institution),
    focalPointIds: draft.focalPointIds,
    validatorIds: draft.validatorIds,
    needsReview: institution.needsReview,
    version: institution.version,
    createdAt: institution.createdAt,
    updatedAt: institution.updatedAt,
  };
}

/** A strong ETag: the version counts every write. */
export const etagOf = (institution: Institution) => `"${institution.version}"`;
