import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
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
import { Failure, Show } from '../../components/Status';
import { useApi, useGetAgain } from './api';

const BASES = ['theme', 'group', 'sdg', 'heading', 'linked'] as const;

interface Cluster {
  id: string;
  name: string;
  basis: string;
  description: string | null;
  size: number;
}

interface Suggestion {
  key: string;
  name: string;
  size: number;
}

/** National clusters, the unit plans attach to: the ones kept, suggestions to accept, and one's own. */
export default function Clusters() {
  const [version, setVersion] = useState(0);
  const clusters = useGetAgain<Cluster[]>('recommendations', '/clusters', version);
  const changed = () => setVersion((n) => n + 1);
  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="coord.clusters.heading" />
      </Typography>
      <Show loaded={clusters}>
        {(items) =>
          items.length === 0 ? (
            <Typography>
              <FormattedMessage id="coord.clusters.none" />
            </Typography>
          ) : (
            <Table size="small" data-testid="clusters">
              <TableHead>
                <TableRow>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.clusters.name" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.clusters.basis" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.clusters.size" />
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((cluster) => (
                  <TableRow key={cluster.id}>
                    <TableCell component="th" scope="row">
                      {cluster.name}
                    </TableCell>
                    <TableCell>
                      <FormattedMessage id={`coord.clusters.basis.${cluster.basis}`} />
                    </TableCell>
                    <TableCell>
                      <FormattedMessage id="coord.clusters.members" values={{ count: cluster.size }} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )
        }
      </Show>
      <Suggestions onAccepted={changed} />
      <CreateCluster onCreated={changed} />
    </Stack>
  );
}

function Suggestions({ onAccepted }: { onAccepted: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const [basis, setBasis] = useState<string>('theme');
  const [state, setState] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [failure, setFailure] = useState<Error | null>(null);
  const suggestions = useGet<{ items: Suggestion[] }>('recommendations', asked);
  const ask = (event: FormEvent) => {
    event.preventDefault();
    const query = new URLSearchParams({ basis });
    if (state.trim()) query.set('state', state.trim());
    setChosen([]);
    setAsked(`/clusters/suggestions?${query}`);
  };
  const accept = async () => {
    setFailure(null);
    try {
      await api('recommendations', '/clusters/suggestions/accept', {
        method: 'POST',
        body: JSON.stringify({ basis, keys: chosen, ...(state.trim() ? { state: state.trim() } : {}) }),
      });
      setChosen([]);
      onAccepted();
    } catch (error) {
      setFailure(error as Error);
    }
  };
  return (
    <Box component="section" aria-labelledby="suggestions-heading">
      <Typography variant="h5" component="h2" id="suggestions-heading" gutterBottom>
        <FormattedMessage id="coord.clusters.suggestions" />
      </Typography>
      <Box
        component="form"
        onSubmit={ask}
        sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}
      >
        <TextField
          id="suggest-basis"
          select
          label={intl.formatMessage({ id: 'coord.clusters.basis' })}
          value={basis}
          onChange={(event) => setBasis(event.target.value)}
          slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
        >
          {BASES.map((value) => (
            <option key={value} value={value}>
              {intl.formatMessage({ id: `coord.clusters.basis.${value}` })}
            </option>
          ))}
        </TextField>
        <TextField
          id="suggest-state"
          label={intl.formatMessage({ id: 'coord.import.state' })}
          value={state}
          onChange={(event) => setState(event.target.value)}
        />
        <Button type="submit" variant="contained" sx={{ mt: 1 }}>
          <FormattedMessage id="coord.clusters.suggest" />
        </Button>
      </Box>
      {asked && (
        <Show loaded={suggestions}>
          {({ items }) =>
            items.length === 0 ? (
              <Typography sx={{ mt: 2 }}>
                <FormattedMessage id="coord.clusters.noSuggestions" />
              </Typography>
            ) : (
              <Stack spacing={1} sx={{ mt: 2 }}>
                <Table size="small">
                  <TableHead>
                    <TableRow>
                      <TableCell component="th" scope="col">
                        <FormattedMessage id="coord.clusters.choose" />
                      </TableCell>
                      <TableCell component="th" scope="col">
                        <FormattedMessage id="coord.clusters.name" />
                      </TableCell>
                      <TableCell component="th" scope="col">
                        <FormattedMessage id="coord.clusters.size" />
                      </TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {items.map((suggestion) => (
                      <TableRow key={suggestion.key}>
                        <TableCell padding="checkbox">
                          <Checkbox
                            checked={chosen.includes(suggestion.key)}
                            onChange={(event) =>
                              setChosen((previous) =>
                                event.target.checked
                                  ? [...previous, suggestion.key]
                                  : previous.filter((key) => key !== suggestion.key),
                              )
                            }
                            slotProps={{
                              input: {
                                'aria-label': intl.formatMessage(
                                  { id: 'coord.clusters.chooseOne' },
                                  { name: suggestion.name },
                                ),
                              },
                            }}
                          />
                        </TableCell>
                        <TableCell>{suggestion.name}</TableCell>
                        <TableCell>
                          <FormattedMessage id="coord.clusters.members" values={{ count: suggestion.size }} />
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <Box>
                  <Button variant="contained" disabled={chosen.length === 0} onClick={() => void accept()}>
                    <FormattedMessage id="coord.clusters.accept" values={{ count: chosen.length }} />
                  </Button>
                </Box>
              </Stack>
            )
          }
        </Show>
      )}
      {failure && <Failure error={failure} />}
    </Box>
  );
}

function CreateCluster({ onCreated }: { onCreated: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError(intl.formatMessage({ id: 'coord.indicator.required' }));
      document.getElementById('cluster-name')?.focus();
      return;
    }
    setError(null);
    setFailure(null);
    try {
      await api('recommendations', '/clusters', {
        method: 'POST',
        body: JSON.stringify({
          name: name.trim(),
          ...(description.trim() ? { description: description.trim() } : {}),
        }),
      });
      setName('');
      setDescription('');
      onCreated();
    } catch (caught) {
      setFailure(caught as Error);
    }
  };
  return (
    <Box
      component="form"
      noValidate
      aria-labelledby="cluster-form-heading"
      onSubmit={(event) => void submit(event)}
    >
      <Typography variant="h5" component="h2" id="cluster-form-heading" gutterBottom>
        <FormattedMessage id="coord.clusters.create" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 640 }}>
        <TextField
          id="cluster-name"
          required
          label={intl.formatMessage({ id: 'coord.clusters.name' })}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={Boolean(error)}
          helperText={error ?? ' '}
        />
        <TextField
          id="cluster-description"
          multiline
          minRows={2}
          label={intl.formatMessage({ id: 'coord.action.description' })}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <Box>
          <Button type="submit" variant="contained">
            <FormattedMessage id="coord.clusters.createSubmit" />
          </Button>
        </Box>
        {failure && <Failure error={failure} />}
      </Stack>
    </Box>
  );
}
