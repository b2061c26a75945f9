import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { ApiError, useGet } from '../../api/client';
import { Link } from '../../components/Link';
import { Failure, Show } from '../../components/Status';
import { etag, useApi, type Action, type Plan } from './api';
import { AssignmentFields } from './AssignmentFields';
import { dueDateOf, focusFirstError, validateAction, type ActionDraft, type Errors } from './forms';

/** The coordinator's additions to a recommendation's page: plan an action, decide candidate links, read the history. */
export default function RecommendationPanels({ recommendationId }: { recommendationId: string }) {
  // A planned action empties the form (a new one) and is announced above it.
  const [planned, setPlanned] = useState<Action[]>([]);
  return (
    <Stack spacing={3}>
      {planned.length > 0 && (
        <Alert severity="success" role="status">
          <FormattedMessage
            id="coord.action.planned"
            values={{
              title: planned[0]?.title,
              link: (chunks) => <Link href={`/planning/actions/${planned[0]?.id}`}>{chunks}</Link>,
            }}
          />
        </Alert>
      )}
      <PlanAction
        key={planned.length}
        recommendationId={recommendationId}
        onPlanned={(action) => setPlanned((previous) => [action, ...previous])}
      />
      <Links recommendationId={recommendationId} />
      <History recommendationId={recommendationId} />
    </Stack>
  );
}

const EMPTY: ActionDraft = { title: '', lead: '', supporting: [], dueDate: '' };

function PlanAction({
  recommendationId,
  onPlanned,
}: {
  recommendationId: string;
  onPlanned: (action: Action) => void;
}) {
  const intl = useIntl();
  const api = useApi();
  const plans = useGet<{ items: Plan[] }>('actions', '/plans?limit=100');
  const [draft, setDraft] = useState<ActionDraft>(EMPTY);
  const [description, setDescription] = useState('');
  const [planId, setPlanId] = useState('');
  const [errors, setErrors] = useState<Errors<'title' | 'lead' | 'dueDate'>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateAction(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstError('plan-action', found);
    setBusy(true);
    setFailure(null);
    try {
      const created = await api<Action>('actions', '/actions', {
        method: 'POST',
        body: JSON.stringify({ recommendationId, title: draft.title.trim(), description }),
      });
      let action = await api<Action>('actions', `/actions/${created.id}/assign`, {
        method: 'POST',
        headers: { 'if-match': etag(created.version) },
        body: JSON.stringify({
          institution: draft.lead,
          supportingInstitutions: draft.supporting,
          dueDate: dueDateOf(draft.dueDate),
        }),
      });
      if (planId)
        action = await api<Action>('actions', `/actions/${created.id}`, {
          method: 'PATCH',
          headers: { 'if-match': etag(action.version) },
          body: JSON.stringify({ planId }),
        });
      onPlanned(action);
    } catch (error) {
      setFailure(
        error instanceof ApiError && error.status === 422
          ? new Error(intl.formatMessage({ id: 'coord.action.notYetKnown' }))
          : (error as Error),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      component="form"
      noValidate
      aria-labelledby="plan-action-heading"
      onSubmit={(event) => void submit(event)}
    >
      <Typography variant="h5" component="h2" id="plan-action-heading" gutterBottom>
        <FormattedMessage id="coord.action.planHeading" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 720 }}>
        <TextField
          id="plan-action-title"
          required
          label={intl.formatMessage({ id: 'coord.action.title' })}
          value={draft.title}
          onChange={(event) => setDraft({ ...draft, title: event.target.value })}
          error={Boolean(errors.title)}
          helperText={errors.title ? intl.formatMessage({ id: errors.title }) : ' '}
        />
        <TextField
          id="plan-action-description"
          multiline
          minRows={2}
          label={intl.formatMessage({ id: 'coord.action.description' })}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <AssignmentFields
          prefix="plan-action"
          draft={draft}
          onChange={(assignment) => setDraft((previous) => ({ ...previous, ...assignment }))}
          errors={errors}
        />
        <Show loaded={plans}>
          {({ items }) => (
            <TextField
              id="plan-action-plan"
              select
              label={intl.formatMessage({ id: 'coord.action.plan' })}
              value={planId}
              onChange={(event) => setPlanId(event.target.value)}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
            >
              <option value="">{intl.formatMessage({ id: 'coord.action.noPlan' })}</option>
              {items.map((plan) => (
                <option key={plan.id} value={plan.id}>
                  {plan.title}
                </option>
              ))}
            </TextField>
          )}
        </Show>
        <Box>
          <Button type="submit" variant="contained" disabled={busy}>
            <FormattedMessage id={busy ? 'coord.action.planning' : 'coord.action.planSubmit'} />
          </Button>
        </Box>
        {failure && <Failure error={failure} />}
      </Stack>
    </Box>
  );
}

interface Side {
  id: string;
  documentSymbol: string;
  paragraph: string;
  text: string;
}
interface CandidateLink {
  id: string;
  score: number;
  status: 'candidate' | 'confirmed' | 'rejected';
  a: Side;
  b: Side;
}

function Links({ recommendationId }: { recommendationId: string }) {
  const api = useApi();
  const loaded = useGet<{ items: CandidateLink[]; total: number }>(
    'recommendations',
    `/links?recommendationId=${recommendationId}&limit=20`,
  );
  const [failure, setFailure] = useState<Error | null>(null);
  const decide = async (id: string, decision: 'confirmed' | 'rejected') => {
    setFailure(null);
    try {
      await api('recommendations', `/links/${id}/decision`, {
        method: 'POST',
        body: JSON.stringify({ decision }),
      });
      if (loaded.state === 'done') loaded.reload();
    } catch (error) {
      setFailure(error as Error);
    }
  };
  return (
    <Box component="section" aria-labelledby="links-heading">
      <Typography variant="h5" component="h2" id="links-heading">
        <FormattedMessage id="coord.links.heading" />
      </Typography>
      <Show loaded={loaded}>
        {({ items }) =>
          items.length === 0 ? (
            <Typography>
              <FormattedMessage id="coord.links.none" />
            </Typography>
          ) : (
            <List>
              {items.map((link) => {
                const other = link.a.id === recommendationId ? link.b : link.a;
                const label = `${other.documentSymbol} ${other.paragraph}`;
                return (
                  <ListItem key={link.id} divider sx={{ display: 'block' }}>
                    <Typography component="p">
                      <Link href={`/recommendations/${other.id}`}>{label}</Link>{' '}
                      <Chip
                        size="small"
                        label={<FormattedMessage id={`coord.links.status.${link.status}`} />}
                      />{' '}
                      <FormattedMessage id="coord.links.score" values={{ score: link.score }} />
                    </Typography>
                    <Typography variant="body2">{other.text}</Typography>
                    {link.status === 'candidate' && (
                      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
                        <Button
                          size="small"
                          variant="outlined"
                          onClick={() => void decide(link.id, 'confirmed')}
                        >
                          <FormattedMessage id="coord.links.confirm" values={{ label }} />
                        </Button>
                        <Button
                          size="small"
                          variant="outlined"
                          onClick={() => void decide(link.id, 'rejected')}
                        >
                          <FormattedMessage id="coord.links.reject" values={{ label }} />
                        </Button>
                      </Stack>
                    )}
                  </ListItem>
                );
              })}
            </List>
          )
        }
      </Show>
      {failure && <Failure error={failure} />}
    </Box>
  );
}

interface Change {
  id: string;
  version: number;
  kind: string;
  actor: string | null;
  changes: Record<string, unknown>;
  justification: string | null;
  at: string;
}

function History({ recommendationId }: { recommendationId: string }) {
  const loaded = useGet<Change[]>('recommendations', `/recommendations/${recommendationId}/history`);
  return (
    <Box component="section" aria-labelledby="history-heading">
      <Typography variant="h5" component="h2" id="history-heading">
        <FormattedMessage id="coord.history.heading" />
      </Typography>
      <Show loaded={loaded}>
        {(changes) =>
          changes.length === 0 ? (
            <Typography>
              <FormattedMessage id="coord.history.none" />
            </Typography>
          ) : (
            <List>
              {changes.map((change) => (
                <ListItem key={change.id} divider sx={{ display: 'block' }}>
                  <Typography component="p">
                    <FormattedDate value={change.at} dateStyle="medium" timeStyle="short" />{' '}
                    <FormattedMessage
                      id="coord.history.line"
                      values={{
                        version: change.version,
                        kind: change.kind,
                        fields: Object.keys(change.changes ?? {}).join(', '),
                      }}
                    />
                  </Typography>
                  {change.justification && <Typography variant="body2">{change.justification}</Typography>}
                </ListItem>
              ))}
            </List>
          )
        }
      </Show>
    </Box>
  );
}
