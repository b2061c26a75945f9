import { platformEnvSchema } from '@nmirf/platform';
import { z } from 'zod';

const reportingEnv = {
  /** Where compiled report files live; shared by the API (downloads) and the worker (writes). */
  REPORTS_DIR: z.string().min(1, 'must be a directory path'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"')
    .default('nmirf'),
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** How often the worker looks for reports whose job Redis may have lost. */
  REPORTS_RECONCILE_MS: z.coerce.number().int().min(1_000).default(60_000),
};

export const reportingConfigSchema = platformEnvSchema.extend(reportingEnv);
export type ReportingConfig = z.infer<typeof reportingConfigSchema>;

/** The worker serves no HTTP, so it needs no port; 0 keeps the shared config type honest. */
export const reportingWorkerConfigSchema = reportingConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
});
