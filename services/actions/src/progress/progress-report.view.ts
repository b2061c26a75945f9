import type { ReportDetails } from './progress-reports.service';

/** A report as its readers see it, with its returns (why it went back) and its evidence files. */
export function reportView({ report, returns, files }: ReportDetails) {
  return {
    id: report.id,
    actionId: report.actionId,
    institutionId: report.institutionId,
    status: report.status,
    final: report.final,
    narrative: report.narrative,
    percentage: report.percentage,
    version: report.version,
    createdBy: report.createdBy,
    createdAt: report.createdAt,
    updatedBy: report.updatedBy,
    updatedAt: report.updatedAt,
    submittedBy: report.submittedBy,
    submittedAt: report.submittedAt,
    approvedBy: report.approvedBy,
    approvedAt: report.approvedAt,
    acceptedBy: report.acceptedBy,
    acceptedAt: report.acceptedAt,
    returns: returns.map(({ stage, comments, returnedBy, returnedAt }) => ({
      stage,
      comments,
      returnedBy,
      returnedAt,
    })),
    files: files.map(({ sha256, name, mediaType, size, uploadedBy, uploadedAt }) => ({
      sha256,
      name,
      mediaType,
      size,
      uploadedBy,
      uploadedAt,
    })),
  };
}

/** A strong ETag: the version counts every write. */
export const etagOf = (details: ReportDetails) => `"${details.report.version}"`;

/**
 * What an `If-Match` header accepts: a test of the current version (`*` accepts any; weak and
 * malformed tags accept none, so the write gets 412), or undefined without the header.
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
