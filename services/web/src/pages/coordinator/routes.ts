import type { Route } from '../../route';

/** The coordinator's pages: imports, clusters, planning, review, calendar, reports, directory, audit. */
export const coordinatorRoutes: Route[] = [];
