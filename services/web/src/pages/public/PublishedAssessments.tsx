import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { FormattedDate, FormattedMessage } from 'react-intl';
import type { Loaded } from '../../api/client';
import { Show } from '../../components/Status';
import type { Assessment } from '../participants/api';

/** Independent assessments (NHRI, civil society), each with its author organisation and evidence links. */
export function Assessments({
  loaded,
  actions,
}: {
  loaded: Loaded<{ items: Assessment[] }>;
  actions?: (assessment: Assessment) => ReactNode;
}) {
  return (
    <Box component="section" aria-labelledby="assessments-heading">
      <Typography variant="h5" component="h2" id="assessments-heading" gutterBottom>
        <FormattedMessage id="assessments.heading" />
      </Typography>
      <Show loaded={loaded}>
        {({ items }) =>
          items.length === 0 ? (
            <Typography>
              <FormattedMessage id="assessments.none" />
            </Typography>
          ) : (
            <List data-testid="assessments">
              {items.map((assessment) => (
                <ListItem key={assessment.id} divider sx={{ display: 'block' }}>
                  <Typography sx={{ fontWeight: 600 }}>
                    <FormattedMessage
                      id="assessments.byline"
                      values={{
                        organisation: assessment.authorOrganisationId,
                        kind: assessment.authorKind,
                      }}
                    />{' '}
                    {!assessment.published && (
                      <Chip size="small" label={<FormattedMessage id="assessments.draft" />} />
                    )}
                  </Typography>
                  <Typography variant="body2">
                    <FormattedMessage id="assessments.status" />:{' '}
                    <FormattedMessage id={`implementation.${assessment.status}`} />
                    {assessment.publishedAt && (
                      <>
                        {' · '}
                        <FormattedDate value={assessment.publishedAt} dateStyle="medium" />
                      </>
                    )}
                  </Typography>
                  <Typography sx={{ whiteSpace: 'pre-wrap' }}>{assessment.narrative}</Typography>
                  {assessment.links.map((link) => (
                    <Typography key={link.url} variant="body2">
                      <a href={link.url} rel="noopener noreferrer external" target="_blank">
                        {link.title ?? link.url}
                      </a>
                    </Typography>
                  ))}
                  {actions?.(assessment)}
                </ListItem>
              ))}
            </List>
          )
        }
      </Show>
    </Box>
  );
}
