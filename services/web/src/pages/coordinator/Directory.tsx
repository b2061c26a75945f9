import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useGet } from '../../api/client';
import { Show } from '../../components/Status';
import { useLocale } from '../../i18n/LocaleProvider';
import { nameOf, type Institution } from './api';

/** The institution directory: who leads and supports actions, with their focal points and validators. */
export default function Directory() {
  const intl = useIntl();
  const { locale } = useLocale();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const loaded = useGet<{ items: Institution[]; total: number }>(
    'actions',
    `/institutions?limit=500${query ? `&q=${encodeURIComponent(query)}` : ''}`,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(text.trim());
  };
  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="coord.directory.heading" />
      </Typography>
      <Box
        component="form"
        role="search"
        onSubmit={submit}
        sx={{ display: 'flex', gap: 2, alignItems: 'flex-start' }}
      >
        <TextField
          id="directory-q"
          label={intl.formatMessage({ id: 'coord.directory.search' })}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <Button type="submit" variant="contained" sx={{ mt: 1 }}>
          <FormattedMessage id="search.submit" />
        </Button>
      </Box>
      <Show loaded={loaded}>
        {({ items, total }) =>
          items.length === 0 ? (
            <Typography>
              <FormattedMessage id="coord.directory.none" />
            </Typography>
          ) : (
            <Table size="small" data-testid="directory">
              <caption>
                <FormattedMessage id="coord.directory.count" values={{ count: total }} />
              </caption>
              <TableHead>
                <TableRow>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.directory.name" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.directory.kind" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.directory.people" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.directory.state" />
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((institution) => (
                  <TableRow key={institution.id}>
                    <TableCell component="th" scope="row">
                      {nameOf(institution, locale)}
                      {institution.acronym ? ` (${institution.acronym})` : ''}
                    </TableCell>
                    <TableCell>
                      <FormattedMessage id={`coord.directory.kind.${institution.kind}`} />
                    </TableCell>
                    <TableCell>
                      <FormattedMessage
                        id="coord.directory.peopleLine"
                        values={{
                          focalPoints: institution.focalPointIds?.length ?? 0,
                          validators: institution.validatorIds?.length ?? 0,
                        }}
                      />
                    </TableCell>
                    <TableCell>
                      <FormattedMessage
                        id={institution.active ? 'coord.directory.active' : 'coord.directory.inactive'}
                      />
                      {institution.needsReview && (
                        <>
                          {' '}
                          <Chip
                            size="small"
                            color="warning"
                            label={<FormattedMessage id="coord.directory.needsReview" />}
                          />
                        </>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )
        }
      </Show>
    </Stack>
  );
}
