import { lazy } from 'react';
import type { Route } from '../../route';

/** Pages of ministries' focal points, validators, NHRIs and civil society. */
export const participantRoutes: Route[] = [
  {
    pattern: '/validation',
    page: lazy(() => import('./Validation')),
    title: 'validation.heading',
    roles: ['institution_validator'],
    nav: 'nav.validation',
  },
  {
    pattern: '/inbox',
    page: lazy(() => import('./Inbox')),
    title: 'inbox.heading',
    // The coordinator's inbox is the secretariat's (its token's institution): reports to accept, mentions.
    roles: ['coordinator', 'focal_point', 'institution_validator'],
    nav: 'nav.inbox',
  },
  {
    pattern: '/assessments',
    page: lazy(() => import('./Assess')),
    title: 'assess.heading',
    roles: ['nhri', 'civil_society'],
    nav: 'nav.assessments',
  },
  {
    pattern: '/assessments/:id',
    page: lazy(() => import('./AssessRecommendation')),
    title: 'assess.heading',
    roles: ['nhri', 'civil_society'],
  },
  {
    pattern: '/preferences',
    page: lazy(() => import('./Preferences')),
    title: 'preferences.heading',
    roles: ['admin', 'coordinator', 'focal_point', 'institution_validator', 'nhri', 'civil_society'],
    nav: 'nav.preferences',
  },
];
