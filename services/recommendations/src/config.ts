import { platformEnvSchema } from '@nmirf/platform';

export const recommendationsConfigSchema = platformEnvSchema.extend({});
export type RecommendationsConfig = ReturnType<typeof recommendationsConfigSchema.parse>;
