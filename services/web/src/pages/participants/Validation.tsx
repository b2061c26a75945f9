import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { useApi, type Loaded } from '../../api/client';
import { Link } from '../../components/Link';
import { Failure, Show } from '../../components/Status';
import { EvidenceDownload } from './task/EvidenceDownload';
import { allPages, validationQueue, type ListedReport, type QueueItem } from './api';

/**
 * The validator's approval queue: the reports their institutions submitted, oldest first, in one
 * request to the actions service's listing of reports by status (scoped by the token).
 */
export default function Validation() {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded<QueueItem[]>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const again = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    allPages((limit, offset) =>
      api<{ items: ListedReport[]; total: number }>(
        'actions',
        `/progress-reports?status=submitted&limit=${limit}&offset=${offset}`,
      ),
    )
      .then(validationQueue)
      .then(
        (data) => current && setLoaded({ state: 'done', data, reload: again }),
        (error: Error) => current && setLoaded({ state: 'failed', error, retry: again }),
      );
    return () => {
      current = false;
    };
  }, [api, attempt, again]);

  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="validation.heading" />
      </Typography>
      <Show loaded={loaded}>
        {(items) => (
          <>
            <Typography role="status" data-testid="validation-count" data-count={items.length}>
              <FormattedMessage id="validation.count" values={{ count: items.length }} />
            </Typography>
            {items.map((item) => (
              <Review key={item.report.id} item={item} onDone={again} />
            ))}
          </>
        )}
      </Show>
    </Stack>
  );
}

function Review({ item, onDone }: { item: QueueItem; onDone: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const { action, report } = item;
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const reasonError = reason.trim() === '' ? intl.formatMessage({ id: 'validation.reasonRequired' }) : null;
  const headingId = `review-${report.id}`;

  const step = async (path: 'approve' | 'return', body?: object) => {
    setBusy(true);
    setError(null);
    try {
      await api('actions', `/progress-reports/${report.id}/${path}`, {
        method: 'POST',
        headers: { 'if-match': `"${report.version}"` },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      onDone();
    } catch (failure) {
      setError(failure as Error);
      setBusy(false);
    }
  };
  const sendBack = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!reasonError) void step('return', { comments: reason });
  };

  return (
    <Card component="article" variant="outlined" aria-labelledby={headingId}>
      <CardContent>
        <Typography variant="h6" component="h2" id={headingId}>
          <Link href={`/tasks/${action.id}`}>{action.title}</Link>
        </Typography>
        <Typography variant="body2" gutterBottom>
          <FormattedMessage
            id="validation.submitted"
            values={{
              institution: report.institutionId,
              date: <FormattedDate value={report.submittedAt ?? report.createdAt} dateStyle="medium" />,
              percentage: <FormattedNumber value={report.percentage} />,
            }}
          />
          {report.final && (
            <>
              {' · '}
              <FormattedMessage id="validation.final" />
            </>
          )}
        </Typography>
        <Typography sx={{ whiteSpace: 'pre-wrap', mb: 1 }}>{report.narrative}</Typography>
        {(report.files ?? []).map((file) => (
          <Typography key={file.sha256} variant="body2">
            <FormattedMessage
              id="evidence.file"
              values={{ name: file.name, size: <FormattedNumber value={file.size} /> }}
            />{' '}
            <EvidenceDownload reportId={report.id} sha256={file.sha256} name={file.name} />
          </Typography>
        ))}
        <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
          <Button
            variant="contained"
            disabled={busy}
            onClick={() => void step('approve')}
            aria-describedby={headingId}
          >
            <FormattedMessage id="validation.approve" />
          </Button>
          <Button
            variant="outlined"
            disabled={busy}
            aria-expanded={returning}
            aria-describedby={headingId}
            onClick={() => setReturning(!returning)}
          >
            <FormattedMessage id="validation.return" />
          </Button>
        </Stack>
        {returning && (
          <Box component="form" noValidate onSubmit={sendBack} sx={{ mt: 2, maxWidth: 640 }}>
            <TextField
              id={`reason-${report.id}`}
              label={intl.formatMessage({ id: 'validation.reason' })}
              multiline
              minRows={3}
              fullWidth
              required
              autoFocus
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              error={touched && Boolean(reasonError)}
              helperText={
                touched && reasonError ? reasonError : intl.formatMessage({ id: 'validation.reasonHelp' })
              }
            />
            <Button type="submit" variant="contained" color="warning" disabled={busy} sx={{ mt: 1 }}>
              <FormattedMessage id="validation.sendBack" />
            </Button>
          </Box>
        )}
        {error && <Failure error={error} />}
      </CardContent>
    </Card>
  );
}
