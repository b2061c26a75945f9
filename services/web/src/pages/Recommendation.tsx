import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { lazy, Suspense, type ReactNode } from 'react';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { useGet } from '../api/client';
import { useAuth } from '../auth/AuthProvider';
import { Link } from '../components/Link';
import { Loading, Show } from '../components/Status';
import type { ActionSummary } from './Tasks';

// The coordinator's panels (plan an action, candidate links, history) load only for the coordinator.
const CoordinatorPanels = lazy(() => import('./coordinator/RecommendationPanels'));

interface Detail {
  id: string;
  documentSymbol: string;
  paragraph: string;
  text: string;
  body: string;
  mechanism: string;
  position: string | null;
  recommendingStates: string[];
  themeLabels?: string[];
  themes: string[];
  sdgGoals: string[];
  implementationStatus: string | null;
  published: boolean;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" sx={{ fontWeight: 600 }}>
        <FormattedMessage id={label} />
      </Typography>
      <Typography component="dd" sx={{ m: 0, mb: 1 }}>
        {children}
      </Typography>
    </>
  );
}

export default function Recommendation({ params }: { params: Record<string, string> }) {
  const id = encodeURIComponent(params.id ?? '');
  const { hasRole } = useAuth();
  const loaded = useGet<Detail>('recommendations', `/recommendations/${id}`);
  const actions = useGet<{ items: ActionSummary[] }>(
    'actions',
    hasRole('coordinator', 'focal_point', 'institution_validator')
      ? `/actions?recommendationId=${id}&limit=100`
      : null,
  );
  return (
    <Stack spacing={2}>
      <Link href="/recommendations">
        <FormattedMessage id="common.back" />
      </Link>
      <Show loaded={loaded}>
        {(item) => (
          <>
            <Typography variant="h4" component="h1">
              <FormattedMessage
                id="recommendation.paragraph"
                values={{ document: item.documentSymbol, paragraph: item.paragraph }}
              />
            </Typography>
            <Typography
              component="blockquote"
              sx={{ borderInlineStart: 4, borderColor: 'primary.main', ps: 2, m: 0 }}
            >
              {item.text}
            </Typography>
            <Chip
              sx={{ alignSelf: 'flex-start' }}
              label={
                <FormattedMessage
                  id={item.published ? 'recommendation.published' : 'recommendation.unpublished'}
                />
              }
            />
            <dl>
              <Field label="facet.body">{item.body}</Field>
              <Field label="recommendation.recommendingStates">{item.recommendingStates?.join(', ')}</Field>
              <Field label="recommendation.position">
                {item.position ?? <FormattedMessage id="common.none" />}
              </Field>
              <Field label="recommendation.themes">
                {(item.themeLabels ?? item.themes ?? []).join(', ')}
              </Field>
              <Field label="recommendation.sdgs">{(item.sdgGoals ?? []).join(', ')}</Field>
              <Field label="recommendation.status">
                {item.implementationStatus ? (
                  <FormattedMessage id={`implementation.${item.implementationStatus}`} />
                ) : (
                  <FormattedMessage id="common.none" />
                )}
              </Field>
            </dl>
          </>
        )}
      </Show>
      {hasRole('coordinator', 'focal_point', 'institution_validator') && (
        <section aria-labelledby="actions-heading">
          <Typography variant="h5" component="h2" id="actions-heading">
            <FormattedMessage id="recommendation.actions" />
          </Typography>
          <Show loaded={actions}>
            {({ items }) =>
              items.length === 0 ? (
                <Typography>
                  <FormattedMessage id="recommendation.noActions" />
                </Typography>
              ) : (
                <List>
                  {items.map((action) => (
                    <ListItem key={action.id} divider>
                      <Link href={`/tasks/${action.id}`}>{action.title}</Link>
                      &nbsp;— {action.institution} — <FormattedMessage id={`status.${action.status}`} />
                      {action.dueAt && (
                        <>
                          &nbsp;— <FormattedDate value={action.dueAt} dateStyle="medium" />
                        </>
                      )}
                    </ListItem>
                  ))}
                </List>
              )
            }
          </Show>
        </section>
      )}
      {hasRole('coordinator') && (
        <Suspense fallback={<Loading />}>
          <CoordinatorPanels recommendationId={params.id ?? ''} />
        </Suspense>
      )}
    </Stack>
  );
}
