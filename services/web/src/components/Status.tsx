import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiError, type Loaded } from '../api/client';

export function Loading() {
  const intl = useIntl();
  return (
    <p role="status">
      <CircularProgress size={20} aria-hidden /> {intl.formatMessage({ id: 'common.loading' })}
    </p>
  );
}

export function Failure({ error, retry }: { error: Error; retry?: () => void }) {
  const reason =
    error instanceof ApiError && typeof (error.body as { message?: unknown })?.message === 'string'
      ? String((error.body as { message: string }).message)
      : error.message;
  return (
    <Alert
      severity="error"
      action={
        retry && (
          <Button color="inherit" onClick={retry}>
            <FormattedMessage id="common.retry" />
          </Button>
        )
      }
    >
      <FormattedMessage id="common.error" values={{ reason }} />
    </Alert>
  );
}

/** Loading, failure or the content, for one request. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => React.ReactNode }) {
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'failed') return <Failure error={loaded.error} retry={loaded.retry} />;
  return <>{children(loaded.data)}</>;
}
