import { lazy } from 'react';
import type { Route } from '../../route';

// Each page its own chunk, as the shared ones: the focal points' task pages never download these.
const pages = {
  imports: lazy(() => import('./Imports')),
  planning: lazy(() => import('./Planning')),
  actionPlan: lazy(() => import('./ActionPlan')),
  review: lazy(() => import('./ReviewQueue')),
  reports: lazy(() => import('./Reports')),
  directory: lazy(() => import('./Directory')),
  clusters: lazy(() => import('./Clusters')),
  calendar: lazy(() => import('./Calendar')),
  audit: lazy(() => import('./Audit')),
};

const COORDINATOR: Route['roles'] = ['coordinator'];

/** The coordinator's pages: imports, clusters, planning, review, calendar, reports, directory, audit. */
export const coordinatorRoutes: Route[] = [
  {
    pattern: '/imports',
    page: pages.imports,
    title: 'coord.imports.heading',
    roles: COORDINATOR,
    nav: 'coord.nav.imports',
  },
  {
    pattern: '/planning',
    page: pages.planning,
    title: 'coord.planning.heading',
    roles: COORDINATOR,
    nav: 'coord.nav.planning',
  },
  {
    pattern: '/planning/actions/:id',
    page: pages.actionPlan,
    title: 'coord.planning.heading',
    roles: COORDINATOR,
  },
  {
    pattern: '/clusters',
    page: pages.clusters,
    title: 'coord.clusters.heading',
    roles: COORDINATOR,
    nav: 'coord.nav.clusters',
  },
  {
    pattern: '/review',
    page: pages.review,
    title: 'coord.review.heading',
    roles: COORDINATOR,
    nav: 'coord.nav.review',
  },
  {
    pattern: '/reports',
    page: pages.reports,
    title: 'coord.reports.heading',
    roles: COORDINATOR,
    nav: 'coord.nav.reports',
  },
  {
    pattern: '/calendar',
    page: pages.calendar,
    title: 'coord.calendar.heading',
    roles: COORDINATOR,
    nav: 'coord.nav.calendar',
  },
  {
    pattern: '/directory',
    page: pages.directory,
    title: 'coord.directory.heading',
    roles: COORDINATOR,
    nav: 'coord.nav.directory',
  },
  {
    pattern: '/audit',
    page: pages.audit,
    title: 'coord.audit.heading',
    roles: ['coordinator', 'admin'],
    nav: 'coord.nav.audit',
  },
];
