import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { Link } from '../components/Link';
import { discardReport, useOnline, type QueuedReport } from './outbox';

/** What waits on this device to be sent, and what the API refused once it was. */
export function PendingReports({
  items,
  withTitles = false,
}: {
  items: QueuedReport[];
  withTitles?: boolean;
}) {
  const online = useOnline();
  if (items.length === 0) return null;
  return (
    <Box component="section" aria-labelledby="pending-heading" data-testid="pending-reports">
      <Typography variant="h6" component="h2" id="pending-heading">
        <FormattedMessage id="offline.pendingHeading" values={{ count: items.length }} />
      </Typography>
      <Typography variant="body2">
        <FormattedMessage id={online ? 'offline.sendingSoon' : 'offline.waitingForNetwork'} />
      </Typography>
      <List>
        {items.map((item) => (
          <ListItem key={item.key} divider sx={{ display: 'block' }}>
            {withTitles && (
              <Link href={`/tasks/${item.actionId}`} sx={{ display: 'block', fontWeight: 600 }}>
                {item.actionTitle}
              </Link>
            )}
            <Typography variant="body2">
              <FormattedMessage
                id="offline.pendingLine"
                values={{
                  percentage: item.percentage,
                  date: <FormattedDate value={item.queuedAt} timeStyle="short" />,
                }}
              />
            </Typography>
            <Typography sx={{ whiteSpace: 'pre-wrap' }}>{item.narrative}</Typography>
            {item.refusal && (
              <Alert
                severity="error"
                action={
                  <Button color="inherit" onClick={() => discardReport(item.key)}>
                    <FormattedMessage id="offline.discard" />
                  </Button>
                }
              >
                <FormattedMessage id="offline.refused" values={{ reason: item.refusal }} />
              </Alert>
            )}
          </ListItem>
        ))}
      </List>
    </Box>
  );
}

/** Told once, at the top of a page, when the browser has no connection. */
export function OfflineNotice() {
  const online = useOnline();
  if (online) return null;
  return (
    <Alert severity="warning" role="status" sx={{ mb: 2 }}>
      <FormattedMessage id="offline.notice" />
    </Alert>
  );
}
