import Alert from '@mui/material/Alert';
import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useAuth } from './auth/AuthProvider';
import type { Role } from './auth/session';
import { Layout } from './components/Layout';
import { Loading } from './components/Status';
import { match, useLocation } from './router';

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

type Page = LazyExoticComponent<ComponentType<{ params: Record<string, string>; search: URLSearchParams }>>;

/** Which page a path shows, and who may open it (the APIs check again: this only spares a 403). */
const ROUTES: { pattern: string; page: Page; title: string; roles?: Role[] }[] = [
  { pattern: '/', page: pages.home, title: 'nav.home' },
  {
    pattern: '/dashboard',
    page: pages.dashboard,
    title: 'dashboard.heading',
    roles: ['coordinator', 'admin'],
  },
  {
    pattern: '/dashboard/:kind',
    page: pages.dashboardList,
    title: 'dashboard.heading',
    roles: ['coordinator', 'admin'],
  },
  { pattern: '/recommendations', page: pages.recommendations, title: 'search.heading' },
  { pattern: '/recommendations/:id', page: pages.recommendation, title: 'search.heading' },
  {
    pattern: '/tasks',
    page: pages.tasks,
    title: 'tasks.heading',
    roles: ['focal_point', 'institution_validator'],
  },
  {
    pattern: '/tasks/:id',
    page: pages.task,
    title: 'task.heading',
    roles: ['focal_point', 'institution_validator', 'coordinator'],
  },
];

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
    <Layout path={path}>
      {error && (
        <Alert severity="error" sx={{ mb: 2 }}>
          <FormattedMessage id="auth.failed" values={{ reason: error }} />
        </Alert>
      )}
      <Suspense fallback={<Loading />}>{content}</Suspense>
    </Layout>
  );
}
