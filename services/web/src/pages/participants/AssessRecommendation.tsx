import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import Grid from '@mui/material/Grid';
import InputLabel from '@mui/material/InputLabel';
import NativeSelect from '@mui/material/NativeSelect';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useApi, useGet } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { Link } from '../../components/Link';
import { Failure, Show } from '../../components/Status';
import type { PublicRecommendation } from '../public/api';
import { GovernmentView } from '../public/GovernmentView';
import { Assessments } from '../public/PublishedAssessments';
import { RecommendationText } from '../public/PublicRecommendation';
import { ASSESSMENT_STATUSES, isWebAddress, type Assessment } from './api';

/**
 * One recommendation as an NHRI or a civil-society organisation works on it: the government's view
 * beside the independent assessments, with the form to write one and publish it.
 */
export default function AssessRecommendation({ params }: { params: Record<string, string> }) {
  const id = encodeURIComponent(params.id ?? '');
  const recommendation = useGet<PublicRecommendation>('recommendations', `/recommendations/${id}`);
  const assessments = useGet<{ items: Assessment[] }>(
    'actions',
    `/recommendations/${id}/assessments?limit=100`,
  );
  const reload = () => assessments.state === 'done' && assessments.reload();
  return (
    <Stack spacing={3}>
      <Link href="/assessments">
        <FormattedMessage id="common.back" />
      </Link>
      <Show loaded={recommendation}>
        {(item) => (
          <>
            <RecommendationText item={item} />
            <Grid container spacing={4}>
              <Grid size={{ xs: 12, md: 6 }}>
                <GovernmentView recommendationId={item.id} status={item.implementationStatus} />
              </Grid>
              <Grid size={{ xs: 12, md: 6 }}>
                <Assessments
                  loaded={assessments}
                  actions={(assessment) => <Publish assessment={assessment} onDone={reload} />}
                />
              </Grid>
            </Grid>
            <AssessmentForm recommendationId={item.id} onSaved={reload} />
          </>
        )}
      </Show>
    </Stack>
  );
}

function Publish({ assessment, onDone }: { assessment: Assessment; onDone: () => void }) {
  const api = useApi();
  const [error, setError] = useState<Error | null>(null);
  // Only the author organisation's members get the version: the others cannot publish it.
  if (assessment.version === undefined) return null;
  const step = assessment.published ? 'unpublish' : 'publish';
  const run = async () => {
    try {
      await api('actions', `/assessments/${assessment.id}/${step}`, {
        method: 'POST',
        headers: { 'if-match': `"${assessment.version}"` },
      });
      onDone();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <Box sx={{ mt: 1 }}>
      <Button size="small" variant="outlined" onClick={() => void run()}>
        <FormattedMessage id={`assessments.${step}`} />
      </Button>
      {error && <Failure error={error} />}
    </Box>
  );
}

function AssessmentForm({ recommendationId, onSaved }: { recommendationId: string; onSaved: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const { person } = useAuth();
  const organisations = person?.institutions ?? [];
  const [organisation, setOrganisation] = useState(organisations[0] ?? '');
  const [status, setStatus] = useState('');
  const [narrative, setNarrative] = useState('');
  const [link, setLink] = useState('');
  const [touched, setTouched] = useState(false);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<Error | null>(null);
  const errors = {
    status: status === '' ? intl.formatMessage({ id: 'assessmentForm.statusRequired' }) : null,
    narrative:
      narrative.trim() === '' ? intl.formatMessage({ id: 'assessmentForm.narrativeRequired' }) : null,
    link:
      link.trim() !== '' && !isWebAddress(link.trim())
        ? intl.formatMessage({ id: 'assessmentForm.linkInvalid' })
        : null,
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (errors.status || errors.narrative || errors.link) return;
    setState('saving');
    setError(null);
    try {
      await api('actions', `/recommendations/${recommendationId}/assessments`, {
        method: 'POST',
        body: JSON.stringify({
          status,
          narrative,
          ...(organisations.length > 1 ? { organisation } : {}),
          ...(link.trim() ? { links: [{ url: link.trim() }] } : {}),
        }),
      });
      setState('saved');
      setStatus('');
      setNarrative('');
      setLink('');
      setTouched(false);
      onSaved();
    } catch (failure) {
      setState('idle');
      setError(failure as Error);
    }
  };

  return (
    <Box
      component="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-labelledby="assessment-form-heading"
    >
      <Typography variant="h5" component="h2" id="assessment-form-heading" gutterBottom>
        <FormattedMessage id="assessmentForm.heading" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 640 }}>
        {organisations.length > 1 && (
          <FormControl>
            <InputLabel variant="standard" htmlFor="assessment-organisation">
              <FormattedMessage id="assessmentForm.organisation" />
            </InputLabel>
            <NativeSelect
              inputProps={{ id: 'assessment-organisation' }}
              value={organisation}
              onChange={(event) => setOrganisation(event.target.value)}
            >
              {organisations.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </NativeSelect>
          </FormControl>
        )}
        <TextField
          id="assessment-status"
          select
          required
          label={intl.formatMessage({ id: 'assessmentForm.status' })}
          value={status}
          onChange={(event) => setStatus(event.target.value)}
          slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
          error={touched && Boolean(errors.status)}
          helperText={touched && errors.status ? errors.status : ' '}
        >
          <option value="">{intl.formatMessage({ id: 'assessmentForm.choose' })}</option>
          {ASSESSMENT_STATUSES.map((value) => (
            <option key={value} value={value}>
              {intl.formatMessage({ id: `implementation.${value}` })}
            </option>
          ))}
        </TextField>
        <TextField
          id="assessment-narrative"
          label={intl.formatMessage({ id: 'assessmentForm.narrative' })}
          multiline
          minRows={4}
          required
          value={narrative}
          onChange={(event) => setNarrative(event.target.value)}
          error={touched && Boolean(errors.narrative)}
          helperText={touched && errors.narrative ? errors.narrative : ' '}
        />
        <TextField
          id="assessment-link"
          type="url"
          label={intl.formatMessage({ id: 'assessmentForm.link' })}
          value={link}
          onChange={(event) => setLink(event.target.value)}
          error={touched && Boolean(errors.link)}
          helperText={
            touched && errors.link ? errors.link : intl.formatMessage({ id: 'assessmentForm.linkHelp' })
          }
        />
        <Box>
          <Button type="submit" variant="contained" disabled={state === 'saving'}>
            <FormattedMessage id="assessmentForm.save" />
          </Button>
        </Box>
        {state === 'saved' && (
          <Alert severity="success" role="status">
            <FormattedMessage id="assessmentForm.saved" />
          </Alert>
        )}
        {error && <Failure error={error} />}
      </Stack>
    </Box>
  );
}
