import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useApi, useGet } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { Link } from '../../components/Link';
import { Failure, Show } from '../../components/Status';
import { notificationKey, notificationValues, type InboxPage, type Notification } from './api';

/** The institution's inbox (notifications service), newest first, each sentence in the reader's language. */
export default function Inbox() {
  const intl = useIntl();
  const { person } = useAuth();
  const institutions = person?.institutions ?? [];
  const [institution, setInstitution] = useState(institutions[0] ?? '');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const path = institution
    ? `/institutions/${encodeURIComponent(institution)}/inbox?limit=100${unreadOnly ? '&unread=true' : ''}`
    : null;
  const inbox = useGet<InboxPage>('notifications', path);
  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="inbox.heading" />
      </Typography>
      {institutions.length === 0 ? (
        <Alert severity="info">
          <FormattedMessage id="inbox.noInstitution" />
        </Alert>
      ) : (
        <>
          <Stack direction="row" spacing={3} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            {institutions.length > 1 && (
              <Box>
                <label htmlFor="inbox-institution">
                  <FormattedMessage id="inbox.institution" />
                </label>{' '}
                <select
                  id="inbox-institution"
                  value={institution}
                  onChange={(event) => setInstitution(event.target.value)}
                >
                  {institutions.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </Box>
            )}
            <FormControlLabel
              control={
                <Switch checked={unreadOnly} onChange={(event) => setUnreadOnly(event.target.checked)} />
              }
              label={intl.formatMessage({ id: 'inbox.unreadOnly' })}
            />
          </Stack>
          <Show loaded={inbox}>
            {(page) => (
              <>
                <Typography role="status" data-testid="inbox-unread" data-count={page.unread}>
                  <FormattedMessage id="inbox.unread" values={{ count: page.unread }} />
                </Typography>
                {page.items.length === 0 ? (
                  <Typography>
                    <FormattedMessage id="inbox.empty" />
                  </Typography>
                ) : (
                  <List data-testid="inbox">
                    {page.items.map((notification) => (
                      <Entry
                        key={notification.id}
                        notification={notification}
                        onRead={() => inbox.state === 'done' && inbox.reload()}
                      />
                    ))}
                  </List>
                )}
              </>
            )}
          </Show>
        </>
      )}
    </Stack>
  );
}

function Entry({ notification, onRead }: { notification: Notification; onRead: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const [error, setError] = useState<Error | null>(null);
  const unread = notification.readAt === null;
  const text = intl.formatMessage(
    { id: notificationKey(notification.kind) },
    notificationValues(notification),
  );
  const markRead = async () => {
    try {
      await api('notifications', `/notifications/${notification.id}/read`, { method: 'POST' });
      onRead();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <ListItem divider sx={{ display: 'block' }}>
      <Typography variant="body2">
        <FormattedDate value={notification.createdAt} dateStyle="medium" timeStyle="short" />
        {unread && (
          <>
            {' · '}
            <strong>
              <FormattedMessage id="inbox.new" />
            </strong>
          </>
        )}
      </Typography>
      <Typography sx={{ fontWeight: unread ? 600 : 400 }}>
        {notification.actionId ? <Link href={`/tasks/${notification.actionId}`}>{text}</Link> : text}
      </Typography>
      {unread && (
        <Button
          size="small"
          onClick={() => void markRead()}
          aria-label={intl.formatMessage({ id: 'inbox.markReadOf' }, { text })}
        >
          <FormattedMessage id="inbox.markRead" />
        </Button>
      )}
      {error && <Failure error={error} />}
    </ListItem>
  );
}
