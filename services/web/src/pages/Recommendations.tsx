import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useGet } from '../api/client';
import { Link } from '../components/Link';
import { Show } from '../components/Status';
import { navigate } from '../router';

/** The facets the page offers, in the API's names (`GET /recommendations?facets=true`). */
export const FACETS = ['mechanism', 'body', 'theme', 'sdg', 'implementationStatus', 'position'] as const;
type Facet = (typeof FACETS)[number];
const PAGE = 20;

interface SearchResult {
  items: {
    id: string;
    documentSymbol: string;
    paragraph: string;
    text: string;
    body: string;
    implementationStatus: string | null;
  }[];
  total: number;
  facets?: Partial<Record<Facet, { value: string; count: number }[]>>;
}

/** The search is the address: filters and page live in the query string, so a result can be shared. */
export default function Recommendations({ search }: { search: URLSearchParams }) {
  const intl = useIntl();
  const [text, setText] = useState(search.get('q') ?? '');
  const offset = Number(search.get('offset') ?? 0) || 0;
  const query = new URLSearchParams();
  for (const [key, value] of search)
    if (key === 'q' || (FACETS as readonly string[]).includes(key)) query.append(key, value);
  query.set('limit', String(PAGE));
  query.set('offset', String(offset));
  query.set('facets', 'true');
  const loaded = useGet<SearchResult>('recommendations', `/recommendations?${query}`);

  const go = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(search);
    change(next);
    navigate(`/recommendations?${next}`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go((next) => {
      if (text.trim()) next.set('q', text.trim());
      else next.delete('q');
      next.delete('offset');
    });
  };
  const toggle = (facet: Facet, value: string, on: boolean) =>
    go((next) => {
      const values = next.getAll(facet).filter((item) => item !== value);
      next.delete(facet);
      for (const item of on ? [...values, value] : values) next.append(facet, item);
      next.delete('offset');
    });

  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="search.heading" />
      </Typography>
      <Box component="form" role="search" onSubmit={submit} sx={{ display: 'flex', gap: 1 }}>
        <TextField
          id="search-text"
          label={intl.formatMessage({ id: 'search.query' })}
          value={text}
          onChange={(event) => setText(event.target.value)}
          size="small"
          sx={{ flexGrow: 1 }}
        />
        <Button type="submit" variant="contained">
          <FormattedMessage id="search.submit" />
        </Button>
      </Box>
      <Show loaded={loaded}>
        {(result) => (
          <Box sx={{ display: 'flex', gap: 3, alignItems: 'flex-start', flexWrap: 'wrap' }}>
            <Box component="aside" aria-labelledby="facets-heading" sx={{ width: 260 }}>
              <Typography variant="h6" component="h2" id="facets-heading">
                <FormattedMessage id="search.facets" />
              </Typography>
              {FACETS.map((facet) => {
                const values = result.facets?.[facet] ?? [];
                if (values.length === 0) return null;
                const chosen = search.getAll(facet);
                return (
                  <Box component="fieldset" key={facet} sx={{ border: 0, p: 0, m: 0, mt: 2 }}>
                    <Typography component="legend" sx={{ fontWeight: 600 }}>
                      <FormattedMessage id={`facet.${facet}`} />
                    </Typography>
                    <FormGroup>
                      {values.slice(0, 12).map(({ value, count }) => (
                        <FormControlLabel
                          key={value}
                          control={
                            <Checkbox
                              size="small"
                              checked={chosen.includes(value)}
                              onChange={(event) => toggle(facet, value, event.target.checked)}
                            />
                          }
                          label={intl.formatMessage(
                            { id: 'facet.option' },
                            { value: facetLabel(intl, facet, value), count },
                          )}
                        />
                      ))}
                    </FormGroup>
                  </Box>
                );
              })}
            </Box>
            <Box sx={{ flex: 1, minWidth: 280 }}>
              <Typography role="status">
                <FormattedMessage id="search.results" values={{ count: result.total }} />
              </Typography>
              <List>
                {result.items.map((item) => (
                  <ListItem key={item.id} divider sx={{ display: 'block' }}>
                    <Link href={`/recommendations/${item.id}`} sx={{ fontWeight: 600 }}>
                      <FormattedMessage
                        id="recommendation.paragraph"
                        values={{ document: item.documentSymbol, paragraph: item.paragraph }}
                      />
                    </Link>
                    <Typography variant="body2">{item.text}</Typography>
                  </ListItem>
                ))}
              </List>
              <Pager
                offset={offset}
                total={result.total}
                onPage={(next) => go((params) => params.set('offset', String(next)))}
              />
            </Box>
          </Box>
        )}
      </Show>
    </Stack>
  );
}

function facetLabel(intl: ReturnType<typeof useIntl>, facet: Facet, value: string): string {
  if (facet === 'implementationStatus') return intl.formatMessage({ id: `implementation.${value}` });
  if (facet === 'sdg') return intl.formatMessage({ id: 'dashboard.sdgGoal' }, { goal: value });
  return value;
}

export function Pager({
  offset,
  total,
  onPage,
}: {
  offset: number;
  total: number;
  onPage: (offset: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const page = Math.floor(offset / PAGE) + 1;
  return (
    <Box component="nav" sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
      <Button disabled={page <= 1} onClick={() => onPage(offset - PAGE)}>
        <FormattedMessage id="common.previous" />
      </Button>
      <Typography>
        <FormattedMessage id="common.pageOf" values={{ page, pages }} />
      </Typography>
      <Button disabled={page >= pages} onClick={() => onPage(offset + PAGE)}>
        <FormattedMessage id="common.next" />
      </Button>
    </Box>
  );
}
