import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { FormattedDate, FormattedMessage, FormattedNumber } from 'react-intl';
import type { Indicator } from '../../Task';
import { latestMeasurement } from '../api';

/** The action's indicators: target, the latest measurement, and when the next is due. */
export default function Indicators({ items }: { items: Indicator[] }) {
  return (
    <Box component="section" aria-labelledby="indicators-heading">
      <Typography variant="h5" component="h2" id="indicators-heading" gutterBottom>
        <FormattedMessage id="indicators.heading" />
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              <FormattedMessage id="indicators.name" />
            </TableCell>
            <TableCell component="th" scope="col">
              <FormattedMessage id="indicators.target" />
            </TableCell>
            <TableCell component="th" scope="col">
              <FormattedMessage id="indicators.latest" />
            </TableCell>
            <TableCell component="th" scope="col">
              <FormattedMessage id="indicators.next" />
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((indicator) => {
            const latest = latestMeasurement(indicator.measurements);
            return (
              <TableRow key={indicator.id}>
                <TableCell component="th" scope="row">
                  {indicator.name}
                </TableCell>
                <TableCell>
                  <FormattedNumber value={indicator.target.value} /> {indicator.unit}
                </TableCell>
                <TableCell>
                  {latest ? (
                    <>
                      <FormattedNumber value={latest.value} /> {indicator.unit} (
                      <FormattedDate value={latest.date} dateStyle="medium" timeZone="UTC" />)
                    </>
                  ) : (
                    <FormattedMessage id="indicators.noMeasurement" />
                  )}
                </TableCell>
                <TableCell>
                  {indicator.nextReportingDate ? (
                    <FormattedDate value={indicator.nextReportingDate} dateStyle="medium" timeZone="UTC" />
                  ) : (
                    <FormattedMessage id="common.none" />
                  )}{' '}
                  {indicator.overdue && (
                    <Chip size="small" color="error" label={<FormattedMessage id="tasks.overdue" />} />
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
