import { platformEnvSchema } from '@nmirf/platform';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export const recommendationsConfigSchema = platformEnvSchema.extend({
  /** Uploads wait here while they are imported, then are deleted. */
  IMPORT_DIR: z.string().min(1).default(join(tmpdir(), 'nmirf-imports')),
  /** Larger uploads are refused before they are read. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  /** Total inflated size of the parts of a workbook or document that an import may read. */
  IMPORT_MAX_UNCOMPRESSED_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024 * 1024),
});
export type RecommendationsConfig = ReturnType<typeof recommendationsConfigSchema.parse>;
