import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import FormHelperText from '@mui/material/FormHelperText';
import { lazy, Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { ApiError, useApi, useGet } from '../api/client';
import { useAuth } from '../auth/AuthProvider';
import { Link } from '../components/Link';
import { Failure, Loading, Show } from '../components/Status';
import { enqueueReport, useOnline, useOutbox } from '../offline/outbox';
import { OfflineNotice, PendingReports } from '../offline/Pending';
import { registerServiceWorker } from '../offline/register';
import { sendReport, useOutboxSender } from '../offline/send';
import { EvidenceDownload } from './participants/task/EvidenceDownload';
import { TextInput } from './participants/task/TextInput';

// Below the form, loaded after it: the task's first paint stays within the slow-connection budget.
const Indicators = lazy(() => import('./participants/task/Indicators'));
const Comments = lazy(() => import('./participants/task/Comments'));

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
  files?: { sha256: string; name: string; size: number }[];
  returns?: { stage: string; comments: string; returnedAt: string }[];
}

export interface Indicator {
  id: string;
  name: string;
  unit: string;
  target: { value: number; date: string };
  nextReportingDate: string | null;
  overdue: boolean;
  measurements: { id: string; value: number; date: string }[];
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
  const indicators = useGet<{ items: Indicator[] }>(
    'actions',
    `/actions/${encodeURIComponent(id)}/indicators`,
  );
  useEffect(registerServiceWorker, []);
  useOutboxSender();
  // A queued report that leaves the outbox has arrived: show it among the reports.
  const pending = useOutbox().filter((item) => item.actionId === id);
  const waiting = useRef(pending.length);
  const reload = reports.state === 'done' ? reports.reload : null;
  useEffect(() => {
    if (pending.length < waiting.current) reload?.();
    waiting.current = pending.length;
  }, [pending.length, reload]);
  return (
    <Stack spacing={3}>
      <Link href="/tasks">
        <FormattedMessage id="common.back" />
      </Link>
      <OfflineNotice />
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
              <ReportForm
                action={data}
                indicators={indicators.state === 'done' ? indicators.data.items : []}
                onSent={() => reports.state === 'done' && reports.reload()}
              />
            )}
          </>
        )}
      </Show>
      <PendingReports items={pending} />
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
                    {(report.files ?? []).map((file) => (
                      <Typography key={file.sha256} variant="body2">
                        <FormattedMessage
                          id="evidence.file"
                          values={{ name: file.name, size: <FormattedNumber value={file.size} /> }}
                        />{' '}
                        <EvidenceDownload reportId={report.id} sha256={file.sha256} name={file.name} />
                      </Typography>
                    ))}
                    {(report.returns ?? []).map((back) => (
                      <Alert key={back.returnedAt} severity="warning" sx={{ mt: 1 }}>
                        <FormattedMessage id="report.returnedWith" values={{ reason: back.comments }} />
                      </Alert>
                    ))}
                  </ListItem>
                ))}
              </List>
            )
          }
        </Show>
      </Box>
      <Suspense fallback={<Loading />}>
        {indicators.state === 'done' && indicators.data.items.length > 0 && (
          <Indicators items={indicators.data.items} />
        )}
        <Comments actionId={id} />
      </Suspense>
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

const today = () => new Date().toISOString().slice(0, 10);

function ReportForm({
  action,
  indicators,
  onSent,
}: {
  action: Action;
  indicators: Indicator[];
  onSent: () => void;
}) {
  const intl = useIntl();
  const api = useApi();
  const online = useOnline();
  const [narrative, setNarrative] = useState('');
  const [percentage, setPercentage] = useState('');
  const [final, setFinal] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);
  const [state, setState] = useState<'idle' | 'sending' | 'sent' | 'queued'>('idle');
  const [error, setError] = useState<Error | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const percent = Number(percentage);
  const errors = {
    narrative: narrative.trim() === '' ? intl.formatMessage({ id: 'report.narrativeRequired' }) : null,
    percentage:
      percentage.trim() === '' || !Number.isInteger(percent) || percent < 0 || percent > 100
        ? intl.formatMessage({ id: 'report.percentageInvalid' })
        : null,
    file: file && !online ? intl.formatMessage({ id: 'evidence.needsConnection' }) : null,
  };
  const measurementErrors = Object.fromEntries(
    indicators.map((indicator) => {
      const text = (values[indicator.id] ?? '').trim();
      return [
        indicator.id,
        text !== '' && !Number.isFinite(Number(text))
          ? intl.formatMessage({ id: 'measurement.invalid' })
          : null,
      ];
    }),
  );
  const invalid = Boolean(
    errors.narrative || errors.percentage || errors.file || Object.values(measurementErrors).some(Boolean),
  );

  const reset = () => {
    setNarrative('');
    setPercentage('');
    setFinal(false);
    setFile(null);
    setValues({});
    setTouched(false);
    if (fileInput.current) fileInput.current.value = '';
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid) return;
    setError(null);
    const report = {
      actionId: action.id,
      actionTitle: action.title,
      narrative,
      percentage: percent,
      final,
      measurements: indicators.flatMap((indicator) => {
        const text = (values[indicator.id] ?? '').trim();
        return text === '' ? [] : [{ indicatorId: indicator.id, value: Number(text), date: today() }];
      }),
    };
    // Without a connection the report waits on this device, and goes when the browser is back online.
    if (!navigator.onLine) {
      enqueueReport(report);
      setState('queued');
      reset();
      return;
    }
    setState('sending');
    let draft: { id: string; version: number } | undefined;
    try {
      await sendReport(api, { ...report, file: file ?? undefined }, (written) => (draft = written));
      setState('sent');
      reset();
      onSent();
    } catch (failure) {
      // The connection dropped on the way: keep what is left to do (the file went with the draft, or not at all).
      if (failure instanceof TypeError && !file) {
        enqueueReport({ ...report, ...(draft ? { draft } : {}) });
        setState('queued');
        reset();
        return;
      }
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
      {!online && (
        <Alert severity="info" sx={{ mb: 2 }}>
          <FormattedMessage id="offline.reportWillWait" />
        </Alert>
      )}
      <Stack spacing={2} sx={{ maxWidth: 640 }}>
        <TextInput
          id="report-narrative"
          label={intl.formatMessage({ id: 'report.narrative' })}
          multiline
          minRows={4}
          required
          value={narrative}
          onChange={setNarrative}
          error={touched && Boolean(errors.narrative)}
          helperText={
            touched && errors.narrative
              ? errors.narrative
              : intl.formatMessage({ id: 'report.narrativeHelp' })
          }
        />
        <TextInput
          id="report-percentage"
          label={intl.formatMessage({ id: 'report.percentage' })}
          type="number"
          required
          inputProps={{ min: 0, max: 100, step: 1, inputMode: 'numeric' }}
          value={percentage}
          onChange={setPercentage}
          error={touched && Boolean(errors.percentage)}
          helperText={touched && errors.percentage ? errors.percentage : ' '}
        />
        {indicators.length > 0 && (
          <Box component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
            <Typography component="legend" sx={{ fontWeight: 600, mb: 1 }}>
              <FormattedMessage id="measurement.legend" />
            </Typography>
            <Stack spacing={2}>
              {indicators.map((indicator) => (
                <TextInput
                  key={indicator.id}
                  id={`measurement-${indicator.id}`}
                  label={intl.formatMessage(
                    { id: 'measurement.label' },
                    { name: indicator.name, unit: indicator.unit },
                  )}
                  type="number"
                  value={values[indicator.id] ?? ''}
                  onChange={(value) => setValues({ ...values, [indicator.id]: value })}
                  error={touched && Boolean(measurementErrors[indicator.id])}
                  helperText={
                    (touched && measurementErrors[indicator.id]) ||
                    intl.formatMessage(
                      { id: 'measurement.target' },
                      { value: indicator.target.value, date: new Date(indicator.target.date) },
                    )
                  }
                />
              ))}
            </Stack>
          </Box>
        )}
        <Box>
          <Typography component="label" htmlFor="report-file" sx={{ display: 'block', fontWeight: 600 }}>
            <FormattedMessage id="evidence.label" />
          </Typography>
          <input
            id="report-file"
            ref={fileInput}
            type="file"
            accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.txt,.odt,.ods,.odp,.docx,.xlsx,.pptx"
            aria-describedby="report-file-help"
            aria-invalid={touched && Boolean(errors.file)}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
          <FormHelperText id="report-file-help" error={touched && Boolean(errors.file)}>
            {touched && errors.file ? errors.file : intl.formatMessage({ id: 'evidence.help' })}
          </FormHelperText>
        </Box>
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
        {state === 'queued' && (
          <Alert severity="info" role="status">
            <FormattedMessage id="offline.reportQueued" />
          </Alert>
        )}
        {error && <Failure error={error} />}
      </Stack>
    </Box>
  );
}
