import { platformEnvSchema } from '@nmirf/platform';

export const actionsConfigSchema = platformEnvSchema.extend({});
export type ActionsConfig = ReturnType<typeof actionsConfigSchema.parse>;
