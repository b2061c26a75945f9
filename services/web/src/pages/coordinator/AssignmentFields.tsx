import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormLabel from '@mui/material/FormLabel';
import TextField from '@mui/material/TextField';
import { useIntl } from 'react-intl';
import { useGet } from '../../api/client';
import { Show } from '../../components/Status';
import { useLocale } from '../../i18n/LocaleProvider';
import { nameOf, type Institution } from './api';
import type { AssignmentDraft, Errors } from './forms';

/**
 * The lead (one, a native select) and the supporting institutions (checkboxes in a fieldset, any
 * number, never the lead), from the institution directory, and the due date.
 */
export function AssignmentFields({
  prefix,
  draft,
  onChange,
  errors,
}: {
  prefix: string;
  draft: AssignmentDraft;
  onChange: (next: AssignmentDraft) => void;
  errors: Errors<'lead' | 'dueDate'>;
}) {
  const intl = useIntl();
  const { locale } = useLocale();
  const directory = useGet<{ items: Institution[] }>('actions', '/institutions?active=true&limit=500');
  const message = (key?: string) => (key ? intl.formatMessage({ id: key }) : undefined);
  return (
    <Show loaded={directory}>
      {({ items }) => {
        const sorted = [...items].sort((a, b) => nameOf(a, locale).localeCompare(nameOf(b, locale), locale));
        return (
          <>
            <TextField
              id={`${prefix}-lead`}
              select
              required
              label={intl.formatMessage({ id: 'coord.action.lead' })}
              value={draft.lead}
              onChange={(event) =>
                onChange({
                  ...draft,
                  lead: event.target.value,
                  supporting: draft.supporting.filter((id) => id !== event.target.value),
                })
              }
              error={Boolean(errors.lead)}
              helperText={message(errors.lead) ?? ' '}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
            >
              <option value="">{intl.formatMessage({ id: 'coord.action.choose' })}</option>
              {sorted.map((institution) => (
                <option key={institution.id} value={institution.id}>
                  {nameOf(institution, locale)}
                </option>
              ))}
            </TextField>
            <FormControl component="fieldset" variant="standard">
              <FormLabel component="legend">
                {intl.formatMessage({ id: 'coord.action.supporting' })}
              </FormLabel>
              <FormGroup sx={{ flexDirection: 'row', columnGap: 2 }}>
                {sorted
                  .filter((institution) => institution.id !== draft.lead)
                  .map((institution) => (
                    <FormControlLabel
                      key={institution.id}
                      control={
                        <Checkbox
                          checked={draft.supporting.includes(institution.id)}
                          onChange={(event) =>
                            onChange({
                              ...draft,
                              supporting: event.target.checked
                                ? [...draft.supporting, institution.id]
                                : draft.supporting.filter((id) => id !== institution.id),
                            })
                          }
                        />
                      }
                      label={nameOf(institution, locale)}
                    />
                  ))}
              </FormGroup>
            </FormControl>
            <TextField
              id={`${prefix}-dueDate`}
              type="date"
              required
              label={intl.formatMessage({ id: 'coord.action.dueDate' })}
              value={draft.dueDate}
              onChange={(event) => onChange({ ...draft, dueDate: event.target.value })}
              error={Boolean(errors.dueDate)}
              helperText={message(errors.dueDate) ?? ' '}
              slotProps={{ inputLabel: { shrink: true } }}
            />
          </>
        );
      }}
    </Show>
  );
}
