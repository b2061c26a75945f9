import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import type { Loaded } from '../api/client';
import { Show } from './Status';

/**
 * A titled section that lists items as a table: loading and error states, a sentence when there is
 * none. `row` gives one item's cells; headings, the empty sentence and the columns are catalogue keys.
 */
export function ListSection<T extends { id: string }>({
  id,
  heading,
  empty,
  columns,
  loaded,
  row,
}: {
  id: string;
  heading: string;
  empty: string;
  columns: string[];
  loaded: Loaded<{ items: T[] }>;
  row: (item: T) => ReactNode;
}) {
  return (
    <Box component="section" aria-labelledby={id}>
      <Typography variant="h5" component="h2" id={id} gutterBottom>
        <FormattedMessage id={heading} />
      </Typography>
      <Show loaded={loaded}>
        {({ items }) =>
          items.length === 0 ? (
            <Typography>
              <FormattedMessage id={empty} />
            </Typography>
          ) : (
            <Table size="small">
              <TableHead>
                <TableRow>
                  {columns.map((column) => (
                    <TableCell key={column} component="th" scope="col">
                      <FormattedMessage id={column} />
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((item) => (
                  <TableRow key={item.id}>{row(item)}</TableRow>
                ))}
              </TableBody>
            </Table>
          )
        }
      </Show>
    </Box>
  );
}
