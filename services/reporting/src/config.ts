import { platformEnvSchema, workerHttpPort } from '@nmirf/platform';
import { z } from 'zod';

const reportingEnv = {
  /** Where compiled report files live; shared by the API (downloads) and the worker (writes). */
  REPORTS_DIR: z.string().min(1, 'must be a directory path'),
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** How often the worker looks for reports whose job Redis may have lost. */
  REPORTS_RECONCILE_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Compiled reports are deleted (file and row) this many days after compilation. */
  REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  /** Debian's Chromium, which prints PDF reports (never a browser downloaded at run time). */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
};

export const reportingConfigSchema = platformEnvSchema.extend(reportingEnv);
export type ReportingConfig = z.infer<typeof reportingConfigSchema>;

export const reportingWorkerConfigSchema = reportingConfigSchema.extend(workerHttpPort);
