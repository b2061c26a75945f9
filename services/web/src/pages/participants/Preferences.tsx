import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputLabel from '@mui/material/InputLabel';
import NativeSelect from '@mui/material/NativeSelect';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useApi, useGet } from '../../api/client';
import { Failure, Show } from '../../components/Status';
import { CADENCES, changedPreferences, type Preference } from './api';

/** How each kind of mail reaches me: at once, in a daily or weekly digest, or not at all. */
export default function Preferences() {
  const loaded = useGet<{ preferences: Preference[] }>('notifications', '/me/mail-preferences');
  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="preferences.heading" />
      </Typography>
      <Typography>
        <FormattedMessage id="preferences.intro" />
      </Typography>
      <Show loaded={loaded}>{(data) => <PreferencesForm initial={data.preferences} />}</Show>
    </Stack>
  );
}

/** Keeps what the API answered after saving, so the confirmation stays on screen. */
function PreferencesForm({ initial }: { initial: Preference[] }) {
  const intl = useIntl();
  const api = useApi();
  const [saved, setSaved] = useState(initial);
  const [chosen, setChosen] = useState<Record<string, string>>(() =>
    Object.fromEntries(saved.map(({ kind, cadence }) => [kind, cadence])),
  );
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<Error | null>(null);
  const changes = changedPreferences(saved, chosen);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState('saving');
    setError(null);
    try {
      const answer = await api<{ preferences: Preference[] }>('notifications', '/me/mail-preferences', {
        method: 'PUT',
        body: JSON.stringify({ preferences: changes }),
      });
      setSaved(answer.preferences);
      setChosen(Object.fromEntries(answer.preferences.map(({ kind, cadence }) => [kind, cadence])));
      setState('saved');
    } catch (failure) {
      setState('idle');
      setError(failure as Error);
    }
  };

  return (
    <Box component="form" noValidate onSubmit={(event) => void submit(event)} sx={{ maxWidth: 560 }}>
      <Stack spacing={3}>
        {saved.map((preference) => (
          <FormControl key={preference.kind} fullWidth>
            <InputLabel variant="standard" htmlFor={`cadence-${preference.kind}`}>
              <FormattedMessage id={`preferences.kind.${preference.kind}`} />
            </InputLabel>
            <NativeSelect
              inputProps={{
                id: `cadence-${preference.kind}`,
                'aria-describedby': preference.canTurnOff ? undefined : `cadence-${preference.kind}-help`,
              }}
              value={chosen[preference.kind] ?? preference.cadence}
              onChange={(event) => {
                setState('idle');
                setChosen({ ...chosen, [preference.kind]: event.target.value });
              }}
            >
              {CADENCES.filter((cadence) => cadence !== 'off' || preference.canTurnOff).map((cadence) => (
                <option key={cadence} value={cadence}>
                  {intl.formatMessage({ id: `preferences.cadence.${cadence}` })}
                </option>
              ))}
            </NativeSelect>
            {!preference.canTurnOff && (
              <FormHelperText id={`cadence-${preference.kind}-help`}>
                <FormattedMessage id="preferences.alwaysSent" />
              </FormHelperText>
            )}
          </FormControl>
        ))}
        <Box>
          <Button type="submit" variant="contained" disabled={state === 'saving' || changes.length === 0}>
            <FormattedMessage id="preferences.save" />
          </Button>
        </Box>
        {state === 'saved' && (
          <Alert severity="success" role="status">
            <FormattedMessage id="preferences.saved" />
          </Alert>
        )}
        {error && <Failure error={error} />}
      </Stack>
    </Box>
  );
}
