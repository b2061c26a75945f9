import Alert from '@mui/material/Alert';
import { lazy, Suspense, useEffect } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useAuth } from './auth/AuthProvider';
import { Layout } from './components/Layout';
import { Loading } from './components/Status';
import { match, useLocation } from './router';

import { coordinatorRoutes } from './pages/coordinator/routes';
import { participantRoutes } from './pages/participants/routes';
import { publicRoutes } from './pages/public/routes';
import type { Route } from './route';

// Each page is its own chunk: the task pages never download the charts.
const pages = {
  home: lazy(() => import('./pages/Home')),
  dashboard: lazy(() => import('./pages/Dashboard')),
  dashboardList: lazy(() => import('./pages/DashboardList')),
  recommendations: lazy(() => import('./pages/Recommendations')),
  recommendation: lazy(() => import('./pages/Recommendation')),
  tasks: lazy(() => import('./pages/Tasks')),
  task: lazy(() => import('./pages/Task')),
};

const sharedRoutes: Route[] = [
  { pattern: '/', page: pages.home, title: 'nav.home', nav: 'nav.home' },
  {
    pattern: '/dashboard',
    page: pages.dashboard,
    title: 'dashboard.heading',
    roles: ['coordinator', 'admin'],
    nav: 'nav.dashboard',
  },
  {
    pattern: '/dashboard/:kind',
    page: pages.dashboardList,
    title: 'dashboard.heading',
    roles: ['coordinator', 'admin'],
  },
  {
    pattern: '/recommendations',
    page: pages.recommendations,
    title: 'search.heading',
    nav: 'nav.recommendations',
  },
  { pattern: '/recommendations/:id', page: pages.recommendation, title: 'search.heading' },
  {
    pattern: '/tasks',
    page: pages.tasks,
    title: 'tasks.heading',
    roles: ['focal_point', 'institution_validator'],
    nav: 'nav.tasks',
  },
  {
    pattern: '/tasks/:id',
    page: pages.task,
    title: 'task.heading',
    roles: ['focal_point', 'institution_validator', 'coordinator'],
  },
];

/** Every page of the application, each area's from its own folder. */
export const ROUTES: Route[] = [...sharedRoutes, ...coordinatorRoutes, ...participantRoutes, ...publicRoutes];

export function App() {
  const intl = useIntl();
  const { path, search } = useLocation();
  const { ready, person, hasRole, error } = useAuth();
  const found = ROUTES.map((route) => ({ route, params: match(route.pattern, path) })).find(
    ({ params }) => params !== null,
  );
  const title = intl.formatMessage({ id: found?.route.title ?? 'common.notFound' });
  useEffect(() => {
    document.title = `${title} · NMIRF`;
  }, [title]);

  let content;
  if (!ready) content = <Loading />;
  else if (!found)
    content = <Alert severity="warning">{intl.formatMessage({ id: 'common.notFound' })}</Alert>;
  else if (found.route.roles && !person)
    content = <Alert severity="info">{intl.formatMessage({ id: 'auth.required' })}</Alert>;
  else if (found.route.roles && !hasRole(...found.route.roles))
    content = <Alert severity="warning">{intl.formatMessage({ id: 'auth.forbidden' })}</Alert>;
  else {
    const Page = found.route.page;
    content = <Page params={found.params ?? {}} search={search} />;
  }
  return (
    <Layout path={path} routes={ROUTES}>
      {error && (
        <Alert severity="error" sx={{ mb: 2 }}>
          <FormattedMessage id="auth.failed" values={{ reason: error }} />
        </Alert>
      )}
      <Suspense fallback={<Loading />}>{content}</Suspense>
    </Layout>
  );
}
