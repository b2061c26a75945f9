import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { FormattedMessage } from 'react-intl';
import { ApiError, useGet } from '../../api/client';
import { Link } from '../../components/Link';
import { Show } from '../../components/Status';
import type { Assessment } from '../participants/api';
import type { PublicRecommendation as Detail } from './api';
import { GovernmentView } from './GovernmentView';
import { Assessments } from './PublishedAssessments';

/** A published recommendation: its text, the government's progress, and the independent assessments. */
export default function PublicRecommendation({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const loaded = useGet<Detail>('recommendations', `/recommendations/${encodeURIComponent(id)}`);
  const assessments = useGet<{ items: Assessment[] }>(
    'actions',
    loaded.state === 'done' ? `/recommendations/${encodeURIComponent(id)}/assessments?limit=100` : null,
  );
  if (
    loaded.state === 'failed' &&
    loaded.error instanceof ApiError &&
    [400, 404].includes(loaded.error.status)
  )
    return (
      <Stack spacing={2}>
        <Link href="/public">
          <FormattedMessage id="portal.back" />
        </Link>
        <Alert severity="warning" data-testid="not-published">
          <FormattedMessage id="portal.notPublished" />
        </Alert>
      </Stack>
    );
  return (
    <Stack spacing={3}>
      <Link href="/public">
        <FormattedMessage id="portal.back" />
      </Link>
      <Show loaded={loaded}>{(item) => <RecommendationText item={item} />}</Show>
      {loaded.state === 'done' && (
        <>
          <GovernmentView recommendationId={id} status={loaded.data.implementationStatus} />
          <Assessments loaded={assessments} />
        </>
      )}
    </Stack>
  );
}

export function RecommendationText({ item }: { item: Detail }) {
  return (
    <Stack spacing={1}>
      <Typography variant="h4" component="h1">
        <FormattedMessage
          id="portal.reference"
          values={{ document: item.documentSymbol, paragraph: item.paragraph }}
        />
      </Typography>
      <Typography sx={{ fontSize: '1.15rem' }}>{item.text}</Typography>
      <Typography variant="body2">
        {item.body}
        {item.recommendingStates.length > 0 && (
          <>
            {' · '}
            <FormattedMessage
              id="portal.recommendingStates"
              values={{ states: item.recommendingStates.join(', ') }}
            />
          </>
        )}
      </Typography>
    </Stack>
  );
}
