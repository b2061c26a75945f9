import Alert from '@mui/material/Alert';
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
import { Failure, Show } from '../../components/Status';
import { useLocale } from '../../i18n/LocaleProvider';
import { LOCALE_NAMES } from '../../i18n/locales';
import { nameOf, useApi, useGetAgain, type Institution } from './api';
import {
  focusFirstError,
  institutionIdOf,
  validateInstitution,
  type Errors,
  type InstitutionDraft,
} from './forms';

const KINDS = ['ministry', 'agency', 'parliament', 'judiciary', 'nhri', 'civil_society', 'other'] as const;
const OTHER_NAMES = ['fr', 'es', 'ru', 'zh', 'ar'] as const;

/** The institution directory: who leads and supports actions, with their focal points and validators. */
export default function Directory() {
  const intl = useIntl();
  const { locale } = useLocale();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [version, setVersion] = useState(0);
  const loaded = useGetAgain<{ items: Institution[]; total: number }>(
    'actions',
    `/institutions?limit=500${query ? `&q=${encodeURIComponent(query)}` : ''}`,
    version,
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
      <AddInstitution onAdded={() => setVersion((n) => n + 1)} />
    </Stack>
  );
}

const EMPTY: InstitutionDraft = {
  id: '',
  kind: 'ministry',
  names: { en: '', fr: '', es: '', ru: '', zh: '', ar: '' },
  acronym: '',
};

function AddInstitution({ onAdded }: { onAdded: () => void }) {
  const intl = useIntl();
  const api = useApi();
  const [draft, setDraft] = useState<InstitutionDraft>(EMPTY);
  const [errors, setErrors] = useState<Errors<'id' | 'nameEn'>>({});
  const [failure, setFailure] = useState<Error | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validateInstitution(draft);
    setErrors(found);
    setAdded(null);
    if (Object.keys(found).length > 0) return focusFirstError('institution', found);
    setFailure(null);
    const names = Object.fromEntries(
      Object.entries(draft.names)
        .map(([language, name]) => [language, name.trim()])
        .filter(([, name]) => name),
    );
    try {
      await api('actions', '/institutions', {
        method: 'POST',
        body: JSON.stringify({
          id: institutionIdOf(draft),
          kind: draft.kind,
          names,
          ...(draft.acronym.trim() ? { acronym: draft.acronym.trim() } : {}),
        }),
      });
      setAdded(draft.names.en.trim());
      setDraft(EMPTY);
      onAdded();
    } catch (error) {
      setFailure(error as Error);
    }
  };
  const message = (key?: string, help?: string) =>
    key ? intl.formatMessage({ id: key }) : help ? intl.formatMessage({ id: help }) : ' ';
  return (
    <Box
      component="form"
      noValidate
      aria-labelledby="institution-form-heading"
      onSubmit={(event) => void submit(event)}
    >
      <Typography variant="h5" component="h2" id="institution-form-heading" gutterBottom>
        <FormattedMessage id="coord.directory.add" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 640 }}>
        <TextField
          id="institution-nameEn"
          required
          label={intl.formatMessage({ id: 'coord.directory.nameIn' }, { language: LOCALE_NAMES.en })}
          value={draft.names.en}
          onChange={(event) => setDraft({ ...draft, names: { ...draft.names, en: event.target.value } })}
          error={Boolean(errors.nameEn)}
          helperText={message(errors.nameEn)}
        />
        {OTHER_NAMES.map((language) => (
          <TextField
            key={language}
            id={`institution-name-${language}`}
            label={intl.formatMessage({ id: 'coord.directory.nameIn' }, { language: LOCALE_NAMES[language] })}
            value={draft.names[language]}
            onChange={(event) =>
              setDraft({ ...draft, names: { ...draft.names, [language]: event.target.value } })
            }
            slotProps={{ htmlInput: { lang: language, dir: language === 'ar' ? 'rtl' : 'ltr' } }}
          />
        ))}
        <TextField
          id="institution-kind"
          select
          label={intl.formatMessage({ id: 'coord.directory.kind' })}
          value={draft.kind}
          onChange={(event) => setDraft({ ...draft, kind: event.target.value })}
          slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
        >
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {intl.formatMessage({ id: `coord.directory.kind.${kind}` })}
            </option>
          ))}
        </TextField>
        <TextField
          id="institution-acronym"
          label={intl.formatMessage({ id: 'coord.directory.acronym' })}
          value={draft.acronym}
          onChange={(event) => setDraft({ ...draft, acronym: event.target.value })}
        />
        <TextField
          id="institution-id"
          label={intl.formatMessage({ id: 'coord.directory.id' })}
          value={draft.id}
          onChange={(event) => setDraft({ ...draft, id: event.target.value })}
          error={Boolean(errors.id)}
          helperText={message(errors.id, 'coord.directory.idHelp')}
        />
        <Box>
          <Button type="submit" variant="contained">
            <FormattedMessage id="coord.directory.addSubmit" />
          </Button>
        </Box>
        {added && (
          <Alert severity="success" role="status">
            <FormattedMessage id="coord.directory.added" values={{ name: added }} />
          </Alert>
        )}
        {failure && <Failure error={failure} />}
      </Stack>
    </Box>
  );
}
