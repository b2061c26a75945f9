import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useState,
  type ReactNode,
} from 'react';
import { IntlProvider } from 'react-intl';
import {
  directionOf,
  formattingTag,
  initialLocale,
  loadMessages,
  rememberLocale,
  type Locale,
  type Messages,
} from './locales';

interface LocaleState {
  locale: Locale;
  direction: 'rtl' | 'ltr';
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleState | null>(null);

export function useLocale(): LocaleState {
  const state = useContext(LocaleContext);
  if (!state) throw new Error('useLocale outside LocaleProvider');
  return state;
}

/** Loads the chosen catalogue, remembers the choice and turns the document to its direction. */
export function LocaleProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? initialLocale());
  const [loaded, setLoaded] = useState<{ locale: Locale; messages: Messages } | null>(null);

  useEffect(() => {
    let current = true;
    void loadMessages(locale).then((messages) => current && setLoaded({ locale, messages }));
    return () => {
      current = false;
    };
  }, [locale]);

  // Before paint, so a page never shows in the other direction for a frame.
  useLayoutEffect(() => {
    if (!loaded) return;
    document.documentElement.lang = loaded.locale;
    document.documentElement.dir = directionOf(loaded.locale);
  }, [loaded]);

  const setLocale = useCallback((next: Locale) => {
    rememberLocale(next);
    setLocaleState(next);
  }, []);

  if (!loaded) return null;
  return (
    <LocaleContext.Provider
      value={{ locale: loaded.locale, direction: directionOf(loaded.locale), setLocale }}
    >
      <IntlProvider
        locale={formattingTag[loaded.locale]}
        messages={loaded.messages}
        defaultLocale="en"
        onError={(error) => {
          // A missing translation is caught by the catalogue test; anything else is a real error.
          if (error.code !== 'MISSING_TRANSLATION') console.error(error);
        }}
      >
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}
