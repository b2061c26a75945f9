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
