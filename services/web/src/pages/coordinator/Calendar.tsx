import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useGet } from '../../api/client';
import { Show } from '../../components/Status';
import { useLocale } from '../../i18n/LocaleProvider';

interface Deadline {
  id: string;
  kind: string;
  state: string;
  mechanism: string;
  body: string;
  cycle: string;
  dueOn: string;
  estimated: boolean;
  status: 'open' | 'closed';
  titleText?: string;
}

/** The mechanisms' own deadlines (UPR mid-term, treaty-body reports and follow-up), earliest first, titled in the reader's language. */
export default function Calendar() {
  const intl = useIntl();
  const { locale } = useLocale();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const loaded = useGet<{ items: Deadline[] }>('actions', `/calendar?status=${status}&lang=${locale}`);
  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="coord.calendar.heading" />
      </Typography>
      <TextField
        id="calendar-status"
        select
        label={intl.formatMessage({ id: 'coord.calendar.show' })}
        value={status}
        onChange={(event) => setStatus(event.target.value === 'closed' ? 'closed' : 'open')}
        slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
        sx={{ maxWidth: 320 }}
      >
        <option value="open">{intl.formatMessage({ id: 'coord.calendar.open' })}</option>
        <option value="closed">{intl.formatMessage({ id: 'coord.calendar.closed' })}</option>
      </TextField>
      <Show loaded={loaded}>
        {({ items }) =>
          items.length === 0 ? (
            <Typography>
              <FormattedMessage id="coord.calendar.none" />
            </Typography>
          ) : (
            <Table size="small" data-testid="calendar">
              <TableHead>
                <TableRow>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.calendar.due" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.calendar.deadline" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.calendar.body" />
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((deadline) => (
                  <TableRow key={deadline.id}>
                    <TableCell>
                      <FormattedDate value={`${deadline.dueOn}T12:00:00Z`} dateStyle="long" />
                      {deadline.estimated && (
                        <>
                          {' '}
                          <Chip size="small" label={<FormattedMessage id="coord.calendar.estimated" />} />
                        </>
                      )}
                    </TableCell>
                    <TableCell>{deadline.titleText ?? deadline.kind}</TableCell>
                    <TableCell>
                      {deadline.body} ({deadline.state})
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
