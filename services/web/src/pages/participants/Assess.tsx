import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useGet } from '../../api/client';
import { Link } from '../../components/Link';
import { Show } from '../../components/Status';
import { navigate } from '../../router';
import { searchPath, type SearchPage } from '../public/api';

/** NHRIs and civil society find the recommendation they assess. */
export default function Assess({ search }: { search: URLSearchParams }) {
  const intl = useIntl();
  const words = search.get('q') ?? '';
  const [text, setText] = useState(words);
  const loaded = useGet<SearchPage>('recommendations', searchPath(words, 0, 50));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/assessments${text.trim() ? `?${new URLSearchParams({ q: text.trim() })}` : ''}`);
  };
  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="assess.heading" />
      </Typography>
      <Typography>
        <FormattedMessage id="assess.intro" />
      </Typography>
      <Box component="form" role="search" onSubmit={submit} sx={{ display: 'flex', gap: 1, maxWidth: 640 }}>
        <TextField
          id="assess-query"
          type="search"
          size="small"
          fullWidth
          label={intl.formatMessage({ id: 'portal.query' })}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <Button type="submit" variant="contained">
          <FormattedMessage id="portal.search" />
        </Button>
      </Box>
      <Show loaded={loaded}>
        {(page) => (
          <>
            <Typography role="status">
              <FormattedMessage id="portal.results" values={{ count: page.total }} />
            </Typography>
            <List data-testid="assess-results">
              {page.items.map((item) => (
                <ListItem key={item.id} divider sx={{ display: 'block' }}>
                  <Link href={`/assessments/${item.id}`} sx={{ fontWeight: 600 }}>
                    <FormattedMessage
                      id="portal.reference"
                      values={{ document: item.documentSymbol, paragraph: item.paragraph }}
                    />
                  </Link>
                  <Typography>{item.text}</Typography>
                </ListItem>
              ))}
            </List>
          </>
        )}
      </Show>
    </Stack>
  );
}
