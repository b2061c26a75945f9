import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { useGet } from '../api/client';
import { Link } from '../components/Link';
import { Show } from '../components/Status';
import { useOutbox } from '../offline/outbox';
import { OfflineNotice, PendingReports } from '../offline/Pending';
import { registerServiceWorker } from '../offline/register';
import { useOutboxSender } from '../offline/send';

export interface ActionSummary {
  id: string;
  title: string;
  status: string;
  institution: string | null;
  dueAt: string | null;
}

const OPEN = new Set(['proposed', 'assigned', 'acknowledged', 'in_progress', 'blocked', 'declined']);

/** Soonest due first; those without a due date last. */
export function byDueDate(items: ActionSummary[]): ActionSummary[] {
  const time = (item: ActionSummary) => (item.dueAt ? Date.parse(item.dueAt) : Number.POSITIVE_INFINITY);
  return [...items].sort((a, b) => time(a) - time(b) || a.title.localeCompare(b.title));
}

/**
 * The focal point's task list: the actions service answers only the actions of the caller's
 * institutions (lead or supporting), so this page filters nothing itself.
 */
export default function Tasks() {
  const loaded = useGet<{ items: ActionSummary[]; total: number }>('actions', '/actions?limit=500');
  const pending = useOutbox();
  useEffect(registerServiceWorker, []);
  useOutboxSender();
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        <FormattedMessage id="tasks.heading" />
      </Typography>
      <OfflineNotice />
      <PendingReports items={pending} withTitles />
      <Show loaded={loaded}>
        {({ items }) => {
          const now = Date.now();
          return (
            <>
              <Typography sx={{ mb: 2 }}>
                <FormattedMessage id="tasks.intro" values={{ count: items.length }} />
              </Typography>
              <Table size="small" data-testid="tasks">
                <TableHead>
                  <TableRow>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="tasks.title" />
                    </TableCell>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="tasks.institution" />
                    </TableCell>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="tasks.dueDate" />
                    </TableCell>
                    <TableCell component="th" scope="col">
                      <FormattedMessage id="tasks.status" />
                    </TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {byDueDate(items).map((action) => (
                    <TableRow key={action.id}>
                      <TableCell>
                        <Link href={`/tasks/${action.id}`}>{action.title}</Link>
                      </TableCell>
                      <TableCell>{action.institution}</TableCell>
                      <TableCell>
                        {action.dueAt ? (
                          <FormattedDate value={action.dueAt} dateStyle="medium" />
                        ) : (
                          <FormattedMessage id="tasks.noDueDate" />
                        )}{' '}
                        {action.dueAt && OPEN.has(action.status) && Date.parse(action.dueAt) < now && (
                          <Chip size="small" color="error" label={<FormattedMessage id="tasks.overdue" />} />
                        )}
                      </TableCell>
                      <TableCell>
                        <FormattedMessage id={`status.${action.status}`} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          );
        }}
      </Show>
    </>
  );
}
