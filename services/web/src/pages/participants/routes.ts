import type { Route } from '../../route';

/** Pages of ministries' focal points, validators, NHRIs and civil society. */
export const participantRoutes: Route[] = [];
