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
import { searchPath, type SearchPage } from './api';

const PAGE = 20;

/**
 * The public portal: anyone, without signing in, searches the recommendations the State has
 * published (the API answers anonymous readers with those only).
 */
export default function Portal({ search }: { search: URLSearchParams }) {
  const intl = useIntl();
  const words = search.get('q') ?? '';
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const [text, setText] = useState(words);
  const loaded = useGet<SearchPage>('recommendations', searchPath(words, offset, PAGE));
  const go = (nextWords: string, nextOffset: number) => {
    const query = new URLSearchParams();
    if (nextWords.trim()) query.set('q', nextWords.trim());
    if (nextOffset) query.set('offset', String(nextOffset));
    navigate(`/public${query.size ? `?${query}` : ''}`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go(text, 0);
  };
  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="portal.heading" />
      </Typography>
      <Typography>
        <FormattedMessage id="portal.intro" />
      </Typography>
      <Link href="/public/dashboard">
        <FormattedMessage id="portal.openDashboard" />
      </Link>
      <Box component="form" role="search" onSubmit={submit} sx={{ display: 'flex', gap: 1, maxWidth: 640 }}>
        <TextField
          id="portal-query"
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
            <Typography role="status" data-testid="portal-total" data-count={page.total}>
              <FormattedMessage id="portal.results" values={{ count: page.total }} />
            </Typography>
            <List data-testid="portal-results">
              {page.items.map((item) => (
                <ListItem key={item.id} divider sx={{ display: 'block' }}>
                  <Link href={`/public/recommendations/${item.id}`} sx={{ fontWeight: 600 }}>
                    <FormattedMessage
                      id="portal.reference"
                      values={{ document: item.documentSymbol, paragraph: item.paragraph }}
                    />
                  </Link>
                  <Typography>{item.text}</Typography>
                  <Typography variant="body2">
                    {item.body} ·{' '}
                    <FormattedMessage
                      id={
                        item.implementationStatus
                          ? `implementation.${item.implementationStatus}`
                          : 'government.noStatus'
                      }
                    />
                  </Typography>
                </ListItem>
              ))}
            </List>
            {page.total > PAGE && (
              <Stack
                direction="row"
                spacing={2}
                component="nav"
                aria-label={intl.formatMessage({ id: 'portal.pages' })}
              >
                <Button disabled={offset === 0} onClick={() => go(words, Math.max(0, offset - PAGE))}>
                  <FormattedMessage id="common.previous" />
                </Button>
                <Typography sx={{ alignSelf: 'center' }}>
                  <FormattedMessage
                    id="common.pageOf"
                    values={{ page: Math.floor(offset / PAGE) + 1, pages: Math.ceil(page.total / PAGE) }}
                  />
                </Typography>
                <Button disabled={offset + PAGE >= page.total} onClick={() => go(words, offset + PAGE)}>
                  <FormattedMessage id="common.next" />
                </Button>
              </Stack>
            )}
          </>
        )}
      </Show>
    </Stack>
  );
}
