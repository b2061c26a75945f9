import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { ApiError, useApi, useGet } from '../../api/client';
import { Show } from '../../components/Status';
import { latestByAction, type PublicAction, type PublishedReport } from './api';

/**
 * The government's view of a recommendation, as published: its implementation status, the actions of
 * published plans that answer it, and each action's latest published progress report.
 */
export function GovernmentView({
  recommendationId,
  status,
}: {
  recommendationId: string;
  status: string | null;
}) {
  const actions = useGet<{ items: PublicAction[] }>(
    'reporting',
    `/dashboards/actions?recommendationId=${encodeURIComponent(recommendationId)}&limit=50`,
  );
  return (
    <Box component="section" aria-labelledby="government-heading">
      <Typography variant="h5" component="h2" id="government-heading" gutterBottom>
        <FormattedMessage id="government.heading" />
      </Typography>
      <Typography gutterBottom>
        <FormattedMessage id="government.status" />:{' '}
        <strong data-testid="government-status">
          <FormattedMessage id={status ? `implementation.${status}` : 'government.noStatus'} />
        </strong>
      </Typography>
      <Show loaded={actions}>
        {({ items }) =>
          items.length === 0 ? (
            <Typography>
              <FormattedMessage id="government.noActions" />
            </Typography>
          ) : (
            <List>
              {items.map((action) => (
                <ActionProgress key={action.id} action={action} />
              ))}
            </List>
          )
        }
      </Show>
    </Box>
  );
}

function ActionProgress({ action }: { action: PublicAction }) {
  const intl = useIntl();
  const api = useApi();
  const [latest, setLatest] = useState<PublishedReport | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    api<{ items: PublishedReport[] }>('actions', `/actions/${action.id}/progress-reports`)
      // No published report answers 404: nothing to show yet.
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return { items: [] };
        throw error;
      })
      .then(
        ({ items }) => current && setLatest(latestByAction(items).get(action.id) ?? null),
        () => current && setLatest(null),
      );
    return () => {
      current = false;
    };
  }, [api, action.id]);
  return (
    <ListItem divider sx={{ display: 'block' }}>
      <Typography sx={{ fontWeight: 600 }}>{action.title}</Typography>
      <Typography variant="body2">
        <FormattedMessage
          id="government.action"
          values={{
            institution: action.leadInstitutionName ?? '—',
            status: intl.formatMessage({ id: `status.${action.status}` }),
          }}
        />
        {action.dueAt && (
          <>
            {' · '}
            <FormattedMessage id="tasks.dueDate" />: <FormattedDate value={action.dueAt} dateStyle="medium" />
          </>
        )}
      </Typography>
      {latest === undefined ? null : latest === null ? (
        <Typography variant="body2">
          <FormattedMessage id="government.noReport" />
        </Typography>
      ) : (
        <Box sx={{ mt: 1 }}>
          <LinearProgress
            variant="determinate"
            value={latest.percentage}
            aria-label={intl.formatMessage({ id: 'government.progress' }, { percentage: latest.percentage })}
            sx={{ maxWidth: 320 }}
          />
          <Typography variant="body2">
            <FormattedMessage id="government.progress" values={{ percentage: latest.percentage }} />
          </Typography>
          <Typography sx={{ whiteSpace: 'pre-wrap' }}>{latest.narrative}</Typography>
        </Box>
      )}
    </ListItem>
  );
}
