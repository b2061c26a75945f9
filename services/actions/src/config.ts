import { checkEvidenceStorage, evidenceStorageEnv, platformEnvSchema } from '@nmirf/platform';

/** The platform's variables, and where assessments' evidence files are kept (EVIDENCE_*). */
export const actionsConfigSchema = platformEnvSchema
  .extend(evidenceStorageEnv)
  .superRefine(checkEvidenceStorage);
export type ActionsConfig = ReturnType<typeof actionsConfigSchema.parse>;
