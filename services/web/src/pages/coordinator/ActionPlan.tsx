import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useGet } from '../../api/client';
import { Link } from '../../components/Link';
import { Failure, Show } from '../../components/Status';
import { etag, useApi, useGetAgain, type Action } from './api';
import { AssignmentFields } from './AssignmentFields';
import {
  coordinatorSteps,
  dueDateOf,
  focusFirstError,
  validateAssignment,
  validateIndicator,
  NEEDS_REASON,
  type AssignmentDraft,
  type CoordinatorStep,
  type Errors,
  type IndicatorDraft,
} from './forms';

const INDICATOR_TYPES = ['structural', 'process', 'outcome'] as const;
const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;

interface Indicator {
  id: string;
  name: string;
  type: string;
  unit: string;
  baseline: { value: number; date: string };
  target: { value: number; date: string };
  frequency: string;
  nextReportingDate: string | null;
  measurements: { id: string; value: number; date: string }[];
}

/** One action as the coordinator plans it: who leads, who supports, by when, and its indicators. */
export default function ActionPlan({ params }: { params: Record<string, string> }) {
  const id = encodeURIComponent(params.id ?? '');
  const action = useGet<Action>('actions', `/actions/${id}`);
  return (
    <Stack spacing={3}>
      <Link href="/planning">
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
                <FormattedMessage id="coord.action.lead" />: {data.institution ?? '—'}
              </Typography>
              <Typography>
                <FormattedMessage id="coord.action.supporting" />:{' '}
                {(data.supportingInstitutions ?? []).join(', ') || '—'}
              </Typography>
              <Typography>
                <FormattedMessage id="coord.action.dueDate" />:{' '}
                {data.dueAt ? <FormattedDate value={data.dueAt} dateStyle="long" /> : '—'}
              </Typography>
              <Typography>
                <FormattedMessage id="tasks.status" />: <FormattedMessage id={`status.${data.status}`} />
              </Typography>
              {(data.recommendationIds ?? []).map((recommendation) => (
                <Link
                  key={recommendation}
                  href={`/recommendations/${recommendation}`}
                  sx={{ display: 'block' }}
                >
                  <FormattedMessage id="coord.action.recommendation" />
                </Link>
              ))}
            </Box>
            <Workflow action={data} onDone={() => action.state === 'done' && action.reload()} />
            {!['completed', 'cancelled'].includes(data.status) && (
              <Reassign action={data} onDone={() => action.state === 'done' && action.reload()} />
            )}
          </>
        )}
      </Show>
      <Indicators actionId={id} />
    </Stack>
  );
}

/** Complete, block, unblock, cancel or reopen; the steps with consequences ask why. */
function Workflow({ action, onDone }: { action: Action; onDone: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const [asking, setAsking] = useState<CoordinatorStep | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const steps = coordinatorSteps(action.status);
  if (steps.length === 0) return null;
  const run = async (step: CoordinatorStep, withReason?: string) => {
    setBusy(true);
    setFailure(null);
    try {
      await api('actions', `/actions/${action.id}/${step}`, {
        method: 'POST',
        headers: { 'if-match': etag(action.version) },
        ...(withReason !== undefined ? { body: JSON.stringify({ reason: withReason }) } : {}),
      });
      setAsking(null);
      setReason('');
      onDone();
    } catch (caught) {
      setFailure(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!asking) return;
    if (!reason.trim()) {
      setError(intl.formatMessage({ id: 'coord.review.reasonRequired' }));
      document.getElementById('workflow-reason')?.focus();
      return;
    }
    setError(null);
    void run(asking, reason.trim());
  };
  return (
    <Box component="section" aria-labelledby="workflow-heading">
      <Typography variant="h5" component="h2" id="workflow-heading" gutterBottom>
        <FormattedMessage id="coord.workflow.heading" />
      </Typography>
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }}>
        {steps.map((step) => (
          <Button
            key={step}
            variant={step === 'complete' ? 'contained' : 'outlined'}
            disabled={busy}
            onClick={() => (NEEDS_REASON.has(step) ? setAsking(step) : void run(step))}
          >
            <FormattedMessage id={`coord.workflow.${step}`} />
          </Button>
        ))}
      </Stack>
      {asking && (
        <Box component="form" noValidate onSubmit={submit} sx={{ mt: 2 }}>
          <Stack spacing={1} sx={{ maxWidth: 640 }}>
            <TextField
              id="workflow-reason"
              autoFocus
              required
              multiline
              minRows={2}
              label={intl.formatMessage(
                { id: 'coord.workflow.reason' },
                { step: intl.formatMessage({ id: `coord.workflow.${asking}` }) },
              )}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              error={Boolean(error)}
              helperText={error ?? ' '}
            />
            <Stack direction="row" spacing={2}>
              <Button type="submit" variant="contained" disabled={busy}>
                <FormattedMessage id={`coord.workflow.${asking}`} />
              </Button>
              <Button onClick={() => setAsking(null)}>
                <FormattedMessage id="coord.common.cancel" />
              </Button>
            </Stack>
          </Stack>
        </Box>
      )}
      {failure && <Failure error={failure} />}
    </Box>
  );
}

function Reassign({ action, onDone }: { action: Action; onDone: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const [draft, setDraft] = useState<AssignmentDraft>({
    lead: action.institution ?? '',
    supporting: action.supportingInstitutions ?? [],
    dueDate: action.dueAt ? action.dueAt.slice(0, 10) : '',
  });
  const [errors, setErrors] = useState<Errors<'lead' | 'dueDate'>>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateAssignment(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstError('assign', found);
    setBusy(true);
    setFailure(null);
    try {
      await api('actions', `/actions/${action.id}/assign`, {
        method: 'POST',
        headers: { 'if-match': etag(action.version) },
        body: JSON.stringify({
          institution: draft.lead,
          supportingInstitutions: draft.supporting,
          dueDate: dueDateOf(draft.dueDate),
        }),
      });
      onDone();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box
      component="form"
      noValidate
      aria-labelledby="assign-heading"
      onSubmit={(event) => void submit(event)}
    >
      <Typography variant="h5" component="h2" id="assign-heading" gutterBottom>
        <FormattedMessage id="coord.action.assignHeading" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 720 }}>
        <AssignmentFields prefix="assign" draft={draft} onChange={setDraft} errors={errors} />
        <Box>
          <Button type="submit" variant="contained" disabled={busy}>
            <FormattedMessage id="coord.action.assignSubmit" />
          </Button>
        </Box>
        {failure && <Failure error={failure} />}
        <Typography variant="body2">{intl.formatMessage({ id: 'coord.action.assignHelp' })}</Typography>
      </Stack>
    </Box>
  );
}

const EMPTY: IndicatorDraft = {
  name: '',
  type: 'process',
  unit: '',
  baselineValue: '',
  baselineDate: '',
  targetValue: '',
  targetDate: '',
  frequency: 'quarterly',
  dataSource: '',
};

function Indicators({ actionId }: { actionId: string }) {
  const intl = useIntl();
  const api = useApi();
  const [version, setVersion] = useState(0);
  const loaded = useGetAgain<Indicator[] | { items: Indicator[] }>(
    'actions',
    `/actions/${actionId}/indicators`,
    version,
  );
  const [draft, setDraft] = useState<IndicatorDraft>(EMPTY);
  const [errors, setErrors] = useState<ReturnType<typeof validateIndicator>>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [added, setAdded] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateIndicator(draft);
    setErrors(found);
    setAdded(false);
    if (Object.keys(found).length > 0) return focusFirstError('indicator', found);
    setFailure(null);
    try {
      await api('actions', `/actions/${actionId}/indicators`, {
        method: 'POST',
        body: JSON.stringify({
          name: draft.name.trim(),
          type: draft.type,
          unit: draft.unit.trim(),
          baseline: { value: Number(draft.baselineValue), date: draft.baselineDate },
          target: { value: Number(draft.targetValue), date: draft.targetDate },
          frequency: draft.frequency,
          dataSource: draft.dataSource.trim(),
        }),
      });
      setDraft(EMPTY);
      setAdded(true);
      setVersion((n) => n + 1);
    } catch (error) {
      setFailure(error as Error);
    }
  };
  const field = (name: keyof typeof errors, type = 'text') => (
    <TextField
      id={`indicator-${name}`}
      type={type}
      required
      label={intl.formatMessage({ id: `coord.indicator.${name}` })}
      value={draft[name]}
      onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      error={Boolean(errors[name])}
      helperText={errors[name] ? intl.formatMessage({ id: errors[name] }) : ' '}
      slotProps={type === 'date' ? { inputLabel: { shrink: true } } : undefined}
    />
  );
  const choice = (name: 'type' | 'frequency', options: readonly string[]) => (
    <TextField
      id={`indicator-${name}`}
      select
      label={intl.formatMessage({ id: `coord.indicator.${name}` })}
      value={draft[name]}
      onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
    >
      {options.map((option) => (
        <option key={option} value={option}>
          {intl.formatMessage({ id: `coord.indicator.${name}.${option}` })}
        </option>
      ))}
    </TextField>
  );
  return (
    <Box component="section" aria-labelledby="indicators-heading">
      <Typography variant="h5" component="h2" id="indicators-heading" gutterBottom>
        <FormattedMessage id="coord.indicator.heading" />
      </Typography>
      <Show loaded={loaded}>
        {(data) => {
          const items = Array.isArray(data) ? data : data.items;
          return items.length === 0 ? (
            <Typography>
              <FormattedMessage id="coord.indicator.none" />
            </Typography>
          ) : (
            <List>
              {items.map((indicator) => (
                <ListItem key={indicator.id} divider sx={{ display: 'block' }}>
                  <Typography sx={{ fontWeight: 600 }}>{indicator.name}</Typography>
                  <Typography variant="body2">
                    <FormattedMessage
                      id="coord.indicator.line"
                      values={{
                        baseline: indicator.baseline.value,
                        target: indicator.target.value,
                        unit: indicator.unit,
                        measurements: indicator.measurements.length,
                      }}
                    />
                  </Typography>
                </ListItem>
              ))}
            </List>
          );
        }}
      </Show>
      <Box
        component="form"
        noValidate
        aria-labelledby="indicator-form-heading"
        onSubmit={(event) => void submit(event)}
      >
        <Typography variant="h6" component="h3" id="indicator-form-heading" gutterBottom>
          <FormattedMessage id="coord.indicator.add" />
        </Typography>
        <Stack spacing={2} sx={{ maxWidth: 640 }}>
          {field('name')}
          {choice('type', INDICATOR_TYPES)}
          {field('unit')}
          {field('baselineValue')}
          {field('baselineDate', 'date')}
          {field('targetValue')}
          {field('targetDate', 'date')}
          {choice('frequency', FREQUENCIES)}
          {field('dataSource')}
          <Box>
            <Button type="submit" variant="contained">
              <FormattedMessage id="coord.indicator.addSubmit" />
            </Button>
          </Box>
          {added && (
            <Alert severity="success" role="status">
              <FormattedMessage id="coord.indicator.added" />
            </Alert>
          )}
          {failure && <Failure error={failure} />}
        </Stack>
      </Box>
    </Box>
  );
}
