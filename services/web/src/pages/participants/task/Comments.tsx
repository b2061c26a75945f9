import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useApi, useGet } from '../../../api/client';
import { Failure, Show } from '../../../components/Status';
import type { Comment } from '../api';
import { TextInput } from './TextInput';

/** The action's thread between the coordinator and its institutions. */
export default function Comments({ actionId }: { actionId: string }) {
  const intl = useIntl();
  const api = useApi();
  const thread = useGet<{ items: Comment[]; total: number }>(
    'actions',
    `/actions/${encodeURIComponent(actionId)}/comments?limit=100`,
  );
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const empty = text.trim() === '';

  const post = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (empty) return;
    setBusy(true);
    setError(null);
    try {
      await api('actions', `/actions/${encodeURIComponent(actionId)}/comments`, {
        method: 'POST',
        body: JSON.stringify({ text }),
      });
      setText('');
      setTouched(false);
      if (thread.state === 'done') thread.reload();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="section" aria-labelledby="comments-heading">
      <Typography variant="h5" component="h2" id="comments-heading" gutterBottom>
        <FormattedMessage id="comments.heading" />
      </Typography>
      <Show loaded={thread}>
        {({ items }) =>
          items.length === 0 ? (
            <Typography>
              <FormattedMessage id="comments.none" />
            </Typography>
          ) : (
            <List>
              {items.map((comment) => (
                <ListItem key={comment.id} divider sx={{ display: 'block' }}>
                  <Typography variant="body2" sx={{ fontWeight: 600 }}>
                    <FormattedMessage
                      id="comments.byline"
                      values={{
                        author: comment.authorName,
                        date: (
                          <FormattedDate value={comment.createdAt} dateStyle="medium" timeStyle="short" />
                        ),
                      }}
                    />
                  </Typography>
                  <Typography sx={{ whiteSpace: 'pre-wrap' }}>
                    {comment.deleted ? <FormattedMessage id="comments.deleted" /> : comment.text}
                  </Typography>
                </ListItem>
              ))}
            </List>
          )
        }
      </Show>
      <Box component="form" noValidate onSubmit={(event) => void post(event)} sx={{ maxWidth: 640 }}>
        <Stack spacing={1}>
          <TextInput
            id="comment-text"
            label={intl.formatMessage({ id: 'comments.new' })}
            multiline
            minRows={2}
            required
            value={text}
            onChange={setText}
            error={touched && empty}
            helperText={touched && empty ? intl.formatMessage({ id: 'comments.required' }) : ' '}
          />
          <Box>
            <Button type="submit" variant="outlined" disabled={busy}>
              <FormattedMessage id="comments.post" />
            </Button>
          </Box>
          {error && <Failure error={error} />}
        </Stack>
      </Box>
    </Box>
  );
}
