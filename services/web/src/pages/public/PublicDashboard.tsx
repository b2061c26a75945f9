import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import { FormattedDate, FormattedMessage, FormattedNumber } from 'react-intl';
import { useGet } from '../../api/client';
import { Link } from '../../components/Link';
import { Show } from '../../components/Status';
import { IMPLEMENTATION_STATUSES, type Breakdown } from './api';

/**
 * The public dashboard: the reporting service counts, for anonymous readers, the published
 * recommendations by implementation status and mechanism, and the actions of published plans.
 */
export default function PublicDashboard() {
  const byMechanism = useGet<Breakdown>('reporting', '/dashboards/recommendations/counts?by=mechanism');
  const actions = useGet<Breakdown>('reporting', '/dashboards/actions/counts?by=status');
  return (
    <Stack spacing={3}>
      <Link href="/public">
        <FormattedMessage id="portal.back" />
      </Link>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="publicDashboard.heading" />
      </Typography>
      <Show loaded={byMechanism}>
        {(data) => (
          <Box component="section" aria-labelledby="by-mechanism-heading">
            <Typography
              variant="h5"
              component="h2"
              id="by-mechanism-heading"
              gutterBottom
              data-testid="public-recommendations"
              data-count={data.total.count}
            >
              <FormattedMessage id="publicDashboard.recommendations" values={{ count: data.total.count }} />
            </Typography>
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="public-by-mechanism">
                <TableHead>
                  <TableRow>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="publicDashboard.mechanism" />
                    </TableCell>
                    {IMPLEMENTATION_STATUSES.map((status) => (
                      <TableCell key={status} component="th" scope="col" align="right">
                        <FormattedMessage id={`implementation.${status}`} />
                      </TableCell>
                    ))}
                    <TableCell component="th" scope="col" align="right">
                      <FormattedMessage id="publicDashboard.total" />
                    </TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.groups.map((group) => (
                    <TableRow key={group.key}>
                      <TableCell component="th" scope="row">
                        {group.key}
                      </TableCell>
                      {IMPLEMENTATION_STATUSES.map((status) => (
                        <TableCell key={status} align="right">
                          <FormattedNumber value={group.byStatus[status]?.count ?? 0} />
                        </TableCell>
                      ))}
                      <TableCell align="right">
                        <FormattedNumber value={group.total.count} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
            <Typography variant="body2" sx={{ mt: 1 }}>
              <FormattedMessage
                id="publicDashboard.asOf"
                values={{ date: <FormattedDate value={data.asOf} dateStyle="medium" timeStyle="short" /> }}
              />
            </Typography>
          </Box>
        )}
      </Show>
      <Show loaded={actions}>
        {(data) => (
          <Box component="section" aria-labelledby="actions-heading">
            <Typography variant="h5" component="h2" id="actions-heading" gutterBottom>
              <FormattedMessage id="publicDashboard.actions" values={{ count: data.total.count }} />
            </Typography>
            <Table size="small" sx={{ maxWidth: 480 }} data-testid="public-actions">
              <TableBody>
                {Object.entries(data.byStatus).map(([status, count]) => (
                  <TableRow key={status}>
                    <TableCell component="th" scope="row">
                      <FormattedMessage id={`status.${status}`} />
                    </TableCell>
                    <TableCell align="right">
                      <FormattedNumber value={count.count} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
      </Show>
    </Stack>
  );
}
