import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { FormattedMessage } from 'react-intl';
import { useAuth } from '../auth/AuthProvider';
import { Link } from '../components/Link';
import { forgetOfflineData } from '../offline/register';

export default function Home() {
  const { hasRole, person, ready } = useAuth();
  // Signing out lands here: what the service worker kept of the person's data goes with the session.
  useEffect(() => {
    if (ready && !person) forgetOfflineData();
  }, [ready, person]);
  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="home.heading" />
      </Typography>
      <Typography>
        <FormattedMessage id="home.intro" />
      </Typography>
      {hasRole('coordinator', 'admin') && (
        <Link href="/dashboard">
          <FormattedMessage id="home.coordinator" />
        </Link>
      )}
      {hasRole('focal_point', 'institution_validator') && (
        <Link href="/tasks">
          <FormattedMessage id="home.focalPoint" />
        </Link>
      )}
      {hasRole('institution_validator') && (
        <Link href="/validation">
          <FormattedMessage id="home.validator" />
        </Link>
      )}
      {hasRole('nhri', 'civil_society') && (
        <Link href="/assessments">
          <FormattedMessage id="home.assessor" />
        </Link>
      )}
      <Link href="/public">
        <FormattedMessage id="home.public" />
      </Link>
      <Link href="/public/dashboard">
        <FormattedMessage id="home.publicDashboard" />
      </Link>
    </Stack>
  );
}
