import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useGet } from '../../api/client';
import { ListSection } from '../../components/ListSection';
import { Link } from '../../components/Link';
import { Failure, Show } from '../../components/Status';
import { useApi, useGetAgain, type Action, type Plan } from './api';
import { focusFirstError, validatePlan, type Errors, type PlanDraft } from './forms';

const PLAN_KINDS = ['upr_cycle', 'treaty_body', 'national_action_plan', 'other'] as const;

/** Implementation plans and every action, with their lead and supporting institutions; actions are planned from a recommendation. */
export default function Planning() {
  const [version, setVersion] = useState(0);
  const plans = useGetAgain<{ items: Plan[]; total: number }>('actions', '/plans?limit=100', version);
  const actions = useGet<{ items: Action[]; total: number }>('actions', '/actions?limit=500');
  const planTitle = (id?: string | null) =>
    plans.state === 'done' && id ? plans.data.items.find((plan) => plan.id === id)?.title : undefined;
  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="coord.planning.heading" />
      </Typography>
      <Typography>
        <FormattedMessage
          id="coord.planning.intro"
          values={{ link: (chunks) => <Link href="/recommendations">{chunks}</Link> }}
        />
      </Typography>
      <ListSection
        id="plans-heading"
        heading="coord.plans.heading"
        empty="coord.plans.none"
        columns={['coord.plan.title', 'coord.plan.kind', 'coord.plan.period', 'coord.plan.published']}
        loaded={plans}
        row={(plan) => (
          <>
            <TableCell>
              {plan.title} ({plan.state})
            </TableCell>
            <TableCell>
              <FormattedMessage id={`coord.plan.kind.${plan.kind}`} />
            </TableCell>
            <TableCell>
              <FormattedDate value={plan.periodStart} dateStyle="medium" /> –{' '}
              <FormattedDate value={plan.periodEnd} dateStyle="medium" />
            </TableCell>
            <TableCell>
              <FormattedMessage id={plan.published ? 'coord.common.yes' : 'coord.common.no'} />
            </TableCell>
          </>
        )}
      />
      <PlanForm onCreated={() => setVersion((n) => n + 1)} />
      <Box component="section" aria-labelledby="actions-heading">
        <Typography variant="h5" component="h2" id="actions-heading" gutterBottom>
          <FormattedMessage id="coord.planning.actions" />
        </Typography>
        <Show loaded={actions}>
          {({ items }) =>
            items.length === 0 ? (
              <Typography>
                <FormattedMessage id="coord.planning.noActions" />
              </Typography>
            ) : (
              <Table size="small" data-testid="planned-actions">
                <TableHead>
                  <TableRow>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="coord.action.title" />
                    </TableCell>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="coord.action.lead" />
                    </TableCell>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="coord.action.supporting" />
                    </TableCell>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="coord.action.dueDate" />
                    </TableCell>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="tasks.status" />
                    </TableCell>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="coord.action.plan" />
                    </TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {items.map((action) => (
                    <TableRow key={action.id}>
                      <TableCell>
                        <Link href={`/planning/actions/${action.id}`}>{action.title}</Link>
                      </TableCell>
                      <TableCell>{action.institution ?? '—'}</TableCell>
                      <TableCell>{(action.supportingInstitutions ?? []).join(', ') || '—'}</TableCell>
                      <TableCell>
                        {action.dueAt ? <FormattedDate value={action.dueAt} dateStyle="medium" /> : '—'}
                      </TableCell>
                      <TableCell>
                        <FormattedMessage id={`status.${action.status}`} />
                      </TableCell>
                      <TableCell>{planTitle(action.planId) ?? '—'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )
          }
        </Show>
      </Box>
    </Stack>
  );
}

const EMPTY: PlanDraft = { title: '', state: '', kind: 'upr_cycle', periodStart: '', periodEnd: '' };

function PlanForm({ onCreated }: { onCreated: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const [draft, setDraft] = useState<PlanDraft>(EMPTY);
  const [published, setPublished] = useState(false);
  const [errors, setErrors] = useState<Errors<'title' | 'state' | 'periodStart' | 'periodEnd'>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);
  const message = (key?: string) => (key ? intl.formatMessage({ id: key }) : ' ');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validatePlan(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstError('plan', found);
    setBusy(true);
    setFailure(null);
    try {
      await api('actions', '/plans', {
        method: 'POST',
        body: JSON.stringify({
          ...draft,
          title: draft.title.trim(),
          state: draft.state.trim().toUpperCase(),
          published,
        }),
      });
      setDraft(EMPTY);
      setPublished(false);
      onCreated();
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  const field = (name: 'title' | 'state' | 'periodStart' | 'periodEnd', type = 'text') => (
    <TextField
      id={`plan-${name}`}
      type={type}
      required
      label={intl.formatMessage({ id: `coord.plan.${name}` })}
      value={draft[name]}
      onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      error={Boolean(errors[name])}
      helperText={message(errors[name])}
      slotProps={type === 'date' ? { inputLabel: { shrink: true } } : undefined}
    />
  );
  return (
    <Box
      component="form"
      noValidate
      aria-labelledby="plan-form-heading"
      onSubmit={(event) => void submit(event)}
    >
      <Typography variant="h5" component="h2" id="plan-form-heading" gutterBottom>
        <FormattedMessage id="coord.plans.create" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 640 }}>
        {field('title')}
        {field('state')}
        <TextField
          id="plan-kind"
          select
          label={intl.formatMessage({ id: 'coord.plan.kind' })}
          value={draft.kind}
          onChange={(event) => setDraft({ ...draft, kind: event.target.value })}
          slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
        >
          {PLAN_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {intl.formatMessage({ id: `coord.plan.kind.${kind}` })}
            </option>
          ))}
        </TextField>
        {field('periodStart', 'date')}
        {field('periodEnd', 'date')}
        <FormControlLabel
          control={<Checkbox checked={published} onChange={(event) => setPublished(event.target.checked)} />}
          label={intl.formatMessage({ id: 'coord.plan.publish' })}
        />
        <Box>
          <Button type="submit" variant="contained" disabled={busy}>
            <FormattedMessage id="coord.plans.createSubmit" />
          </Button>
        </Box>
        {failure && <Failure error={failure} />}
      </Stack>
    </Box>
  );
}
