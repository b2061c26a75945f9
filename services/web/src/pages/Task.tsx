import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { ApiError, useApi, useGet } from '../api/client';
import { useAuth } from '../auth/AuthProvider';
import { Link } from '../components/Link';
import { Failure, Show } from '../components/Status';

interface Action {
  id: string;
  title: string;
  description: string;
  status: string;
  institution: string | null;
  supportingInstitutions: string[];
  dueAt: string | null;
  version: number;
}

interface Report {
  id: string;
  status: string;
  percentage: number;
  narrative: string;
  createdAt: string;
}

/** The workflow step a focal point of the lead takes next before reporting, if any. */
const NEXT_STEP: Record<string, 'acknowledge' | 'start' | undefined> = {
  assigned: 'acknowledge',
  acknowledged: 'start',
};

export default function Task({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const action = useGet<Action>('actions', `/actions/${encodeURIComponent(id)}`);
  const reports = useGet<{ items: Report[] }>(
    'actions',
    `/actions/${encodeURIComponent(id)}/progress-reports`,
  );
  return (
    <Stack spacing={3}>
      <Link href="/tasks">
        <FormattedMessage id="common.back" />
      </Link>
      <Show loaded={action}>
        {(data) => (
          <>
            <Box>
              <Typography variant="h4" component="h1" gutterBottom>
                {data.title}
              </Typography>
              <Typography>
                <FormattedMessage id="tasks.institution" />: {data.institution}
              </Typography>
              <Typography>
                <FormattedMessage id="tasks.dueDate" />:{' '}
                {data.dueAt ? (
                  <FormattedDate value={data.dueAt} dateStyle="long" />
                ) : (
                  <FormattedMessage id="tasks.noDueDate" />
                )}
              </Typography>
              <Typography>
                <FormattedMessage id="tasks.status" />: <FormattedMessage id={`status.${data.status}`} />
              </Typography>
              {data.description && (
                <>
                  <Typography variant="h6" component="h2" sx={{ mt: 2 }}>
                    <FormattedMessage id="task.description" />
                  </Typography>
                  <Typography sx={{ whiteSpace: 'pre-wrap' }}>{data.description}</Typography>
                </>
              )}
            </Box>
            <WorkflowStep action={data} onDone={() => action.state === 'done' && action.reload()} />
            {data.status === 'in_progress' && (
              <ReportForm actionId={data.id} onSent={() => reports.state === 'done' && reports.reload()} />
            )}
          </>
        )}
      </Show>
      <Box component="section" aria-labelledby="reports-heading">
        <Typography variant="h5" component="h2" id="reports-heading">
          <FormattedMessage id="task.reports" />
        </Typography>
        <Show loaded={reports}>
          {({ items }) =>
            items.length === 0 ? (
              <Typography>
                <FormattedMessage id="task.noReports" />
              </Typography>
            ) : (
              <List>
                {items.map((report) => (
                  <ListItem key={report.id} divider sx={{ display: 'block' }}>
                    <Typography sx={{ fontWeight: 600 }}>
                      <FormattedDate value={report.createdAt} dateStyle="medium" />{' '}
                      <FormattedMessage
                        id="task.reportLine"
                        values={{
                          percentage: report.percentage,
                          status: <FormattedMessage id={`reportStatus.${report.status}`} />,
                        }}
                      />
                    </Typography>
                    <Typography sx={{ whiteSpace: 'pre-wrap' }}>{report.narrative}</Typography>
                  </ListItem>
                ))}
              </List>
            )
          }
        </Show>
      </Box>
    </Stack>
  );
}

function WorkflowStep({ action, onDone }: { action: Action; onDone: () => void }) {
  const api = useApi();
  const { person } = useAuth();
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const step = NEXT_STEP[action.status];
  const leads = person?.institutions.some((id) => id.toLowerCase() === action.institution?.toLowerCase());
  if (!step || !leads || !person?.roles.includes('focal_point')) return null;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('actions', `/actions/${action.id}/${step}`, {
        method: 'POST',
        headers: { 'if-match': `"${action.version}"` },
      });
      onDone();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box>
      <Button variant="contained" disabled={busy} onClick={() => void run()}>
        <FormattedMessage id={`task.${step}`} />
      </Button>
      {error && <Failure error={error} />}
    </Box>
  );
}

function ReportForm({ actionId, onSent }: { actionId: string; onSent: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const [narrative, setNarrative] = useState('');
  const [percentage, setPercentage] = useState('');
  const [final, setFinal] = useState(false);
  const [touched, setTouched] = useState(false);
  const [state, setState] = useState<'idle' | 'sending' | 'sent'>('idle');
  const [error, setError] = useState<Error | null>(null);
  const percent = Number(percentage);
  const errors = {
    narrative: narrative.trim() === '' ? intl.formatMessage({ id: 'report.narrativeRequired' }) : null,
    percentage:
      percentage.trim() === '' || !Number.isInteger(percent) || percent < 0 || percent > 100
        ? intl.formatMessage({ id: 'report.percentageInvalid' })
        : null,
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (errors.narrative || errors.percentage) return;
    setState('sending');
    setError(null);
    try {
      const draft = await api<{ id: string; version: number }>(
        'actions',
        `/actions/${actionId}/progress-reports`,
        {
          method: 'POST',
          body: JSON.stringify({ narrative, percentage: percent, final }),
        },
      );
      await api('actions', `/progress-reports/${draft.id}/submit`, {
        method: 'POST',
        headers: { 'if-match': `"${draft.version}"` },
      });
      setState('sent');
      setNarrative('');
      setPercentage('');
      setFinal(false);
      setTouched(false);
      onSent();
    } catch (failure) {
      setState('idle');
      setError(
        failure instanceof ApiError || failure instanceof Error ? failure : new Error(String(failure)),
      );
    }
  };

  return (
    <Box
      component="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-labelledby="report-heading"
    >
      <Typography variant="h5" component="h2" id="report-heading" gutterBottom>
        <FormattedMessage id="report.heading" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 640 }}>
        <TextField
          id="report-narrative"
          label={intl.formatMessage({ id: 'report.narrative' })}
          multiline
          minRows={4}
          required
          value={narrative}
          onChange={(event) => setNarrative(event.target.value)}
          error={touched && Boolean(errors.narrative)}
          helperText={
            touched && errors.narrative
              ? errors.narrative
              : intl.formatMessage({ id: 'report.narrativeHelp' })
          }
        />
        <TextField
          id="report-percentage"
          label={intl.formatMessage({ id: 'report.percentage' })}
          type="number"
          required
          slotProps={{ htmlInput: { min: 0, max: 100, step: 1, inputMode: 'numeric' } }}
          value={percentage}
          onChange={(event) => setPercentage(event.target.value)}
          error={touched && Boolean(errors.percentage)}
          helperText={touched && errors.percentage ? errors.percentage : ' '}
        />
        <FormControlLabel
          control={<Checkbox checked={final} onChange={(event) => setFinal(event.target.checked)} />}
          label={intl.formatMessage({ id: 'report.final' })}
        />
        <Box>
          <Button type="submit" variant="contained" disabled={state === 'sending'}>
            <FormattedMessage id={state === 'sending' ? 'report.submitting' : 'report.submit'} />
          </Button>
        </Box>
        {state === 'sent' && (
          <Alert severity="success" role="status">
            <FormattedMessage id="report.sent" />
          </Alert>
        )}
        {error && <Failure error={error} />}
      </Stack>
    </Box>
  );
}
