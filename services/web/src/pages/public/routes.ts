import { lazy } from 'react';
import type { Route } from '../../route';

/** The public portal: no sign-in, published items only. */
export const publicRoutes: Route[] = [
  { pattern: '/public', page: lazy(() => import('./Portal')), title: 'portal.heading', nav: 'nav.portal' },
  {
    pattern: '/public/recommendations/:id',
    page: lazy(() => import('./PublicRecommendation')),
    title: 'portal.heading',
  },
  {
    pattern: '/public/dashboard',
    page: lazy(() => import('./PublicDashboard')),
    title: 'publicDashboard.heading',
    nav: 'nav.publicDashboard',
  },
];
