import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import type { Loaded } from '../../api/client';
import { Link } from '../../components/Link';
import { Failure, Show } from '../../components/Status';
import { allPages, validationQueue, type ListedReport } from '../participants/api';
import { etag, useApi, type ProgressReport } from './api';

/** Reports a validator approved, waiting for the coordinator: the only stage the coordinator acts on. */
export const AWAITING_COORDINATOR = 'approved_by_validator';

export interface QueueItem {
  action: { id: string; title: string };
  report: ProgressReport;
}

/** Waiting reports, oldest approval first (the one waiting longest is read first). */
export function awaitingReview(pairs: QueueItem[]): QueueItem[] {
  const at = (item: QueueItem) => Date.parse(item.report.approvedAt ?? item.report.createdAt);
  return pairs.filter((item) => item.report.status === AWAITING_COORDINATOR).sort((a, b) => at(a) - at(b));
}

/**
 * The queue in one request (more only past 500 reports): the actions service lists the reports a
 * validator approved across actions, with each action's title; the API orders them by submission, the
 * queue by approval.
 */
function useQueue(): Loaded<QueueItem[]> {
  const api = useApi();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Loaded<QueueItem[]>>({ state: 'loading' });
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  useEffect(() => {
    let current = true;
    allPages((limit, offset) =>
      api<{ items: ListedReport[]; total: number }>(
        'actions',
        `/progress-reports?status=${AWAITING_COORDINATOR}&limit=${limit}&offset=${offset}`,
      ),
    )
      .then((reports) => awaitingReview(validationQueue(reports)))
      .then(
        (data) => current && setState({ state: 'done', data, reload }),
        (error: Error) => current && setState({ state: 'failed', error, retry: reload }),
      );
    return () => {
      current = false;
    };
  }, [api, attempt, reload]);
  return state;
}

export default function ReviewQueue() {
  const queue = useQueue();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="coord.review.heading" />
      </Typography>
      {notice && (
        <Alert severity="success" role="status">
          {notice}
        </Alert>
      )}
      <Show loaded={queue}>
        {(items) => (
          <>
            <Typography data-testid="review-count" data-count={items.length}>
              <FormattedMessage id="coord.review.count" values={{ count: items.length }} />
            </Typography>
            <List>
              {items.map((item) => (
                <ReviewItem
                  key={item.report.id}
                  item={item}
                  onDone={(message) => {
                    setNotice(message);
                    if (queue.state === 'done') queue.reload();
                  }}
                />
              ))}
            </List>
          </>
        )}
      </Show>
    </Stack>
  );
}

function ReviewItem({ item, onDone }: { item: QueueItem; onDone: (message: string) => void }) {
  const intl = useIntl();
  const api = useApi();
  const [returning, setReturning] = useState(false);
  const [comments, setComments] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const { action, report } = item;
  const fieldId = `return-${report.id}`;

  const step = async (name: 'accept' | 'return', body?: object) => {
    setBusy(true);
    setFailure(null);
    try {
      await api('actions', `/progress-reports/${report.id}/${name}`, {
        method: 'POST',
        headers: { 'if-match': etag(report.version) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      onDone(
        intl.formatMessage(
          { id: name === 'accept' ? 'coord.review.accepted' : 'coord.review.returned' },
          { title: action.title },
        ),
      );
    } catch (caught) {
      setFailure(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  const sendBack = (event: FormEvent) => {
    event.preventDefault();
    if (!comments.trim()) {
      setError(intl.formatMessage({ id: 'coord.review.reasonRequired' }));
      document.getElementById(fieldId)?.focus();
      return;
    }
    setError(null);
    void step('return', { comments: comments.trim() });
  };

  return (
    <ListItem divider sx={{ display: 'block' }} data-testid="review-item">
      <Typography variant="h6" component="h2">
        <Link href={`/tasks/${action.id}`}>{action.title}</Link>
      </Typography>
      <Typography variant="body2">
        <FormattedMessage
          id="coord.review.meta"
          values={{
            institution: report.institutionId,
            percentage: report.percentage,
            final: String(report.final),
          }}
        />{' '}
        {report.approvedAt && <FormattedDate value={report.approvedAt} dateStyle="medium" />}
      </Typography>
      <Typography sx={{ whiteSpace: 'pre-wrap', my: 1 }}>{report.narrative}</Typography>
      {!returning ? (
        <Stack direction="row" spacing={2}>
          <Button variant="contained" disabled={busy} onClick={() => void step('accept')}>
            <FormattedMessage id="coord.review.accept" />
          </Button>
          <Button variant="outlined" disabled={busy} onClick={() => setReturning(true)}>
            <FormattedMessage id="coord.review.return" />
          </Button>
        </Stack>
      ) : (
        <Box component="form" noValidate onSubmit={sendBack}>
          <Stack spacing={1} sx={{ maxWidth: 640 }}>
            <TextField
              id={fieldId}
              autoFocus
              multiline
              minRows={2}
              required
              label={intl.formatMessage({ id: 'coord.review.reason' })}
              value={comments}
              onChange={(event) => setComments(event.target.value)}
              error={Boolean(error)}
              helperText={error ?? intl.formatMessage({ id: 'coord.review.reasonHelp' })}
            />
            <Stack direction="row" spacing={2}>
              <Button type="submit" variant="contained" disabled={busy}>
                <FormattedMessage id="coord.review.returnSubmit" />
              </Button>
              <Button onClick={() => setReturning(false)}>
                <FormattedMessage id="coord.common.cancel" />
              </Button>
            </Stack>
          </Stack>
        </Box>
      )}
      {failure && <Failure error={failure} />}
    </ListItem>
  );
}
