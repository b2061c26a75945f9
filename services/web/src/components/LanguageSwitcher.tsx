import { useIntl } from 'react-intl';
import { useLocale } from '../i18n/LocaleProvider';
import { isLocale, LOCALE_NAMES, LOCALES } from '../i18n/locales';

/** A native select: keyboard and screen readers know it, and it costs no JavaScript on slow links. */
export function LanguageSwitcher() {
  const intl = useIntl();
  const { locale, setLocale } = useLocale();
  return (
    <label className="language-switcher">
      <span>{intl.formatMessage({ id: 'language.label' })}</span>
      <select
        value={locale}
        onChange={(event) => isLocale(event.target.value) && setLocale(event.target.value)}
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
    </label>
  );
}
