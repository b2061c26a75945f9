import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useIntl } from 'react-intl';
import { useLocale } from '../i18n/LocaleProvider';
import { isLocale, LOCALE_NAMES, LOCALES } from '../i18n/locales';

export function LanguageSwitcher() {
  const intl = useIntl();
  const { locale, setLocale } = useLocale();
  return (
    <TextField
      select
      size="small"
      id="language"
      label={intl.formatMessage({ id: 'language.label' })}
      value={locale}
      onChange={(event) => isLocale(event.target.value) && setLocale(event.target.value)}
      sx={{ minWidth: 140, '& .MuiInputBase-root': { bgcolor: 'background.paper' } }}
    >
      {LOCALES.map((option) => (
        <MenuItem key={option} value={option} lang={option}>
          {LOCALE_NAMES[option]}
        </MenuItem>
      ))}
    </TextField>
  );
}
