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

/**
 * What an `If-Match` header accepts: undefined without the header (the write goes ahead), else a test
 * of the current version (`*` accepts any; weak and malformed tags accept none, so the write gets 412).
 */
export function ifMatch(header: string | undefined): ((version: number) => boolean) | undefined {
  if (header === undefined) return undefined;
  const tags = header.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) return () => true;
  const versions = new Set(
    tags.flatMap((tag) => {
      const match = /^"(\d{1,9})"$/.exec(tag);
      return match ? [Number(match[1])] : [];
    }),
  );
  return (version) => versions.has(version);
}
