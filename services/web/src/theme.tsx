import createCache from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import CssBaseline from '@mui/material/CssBaseline';
import { createTheme, ThemeProvider } from '@mui/material/styles';
import { useMemo, type ReactNode } from 'react';
import { prefixer } from 'stylis';
import rtlPlugin from 'stylis-plugin-rtl';
import { useLocale } from './i18n/LocaleProvider';

// Emotion flips every left/right in the styles for Arabic; each direction keeps its own cache.
const caches = {
  ltr: createCache({ key: 'mui' }),
  rtl: createCache({ key: 'mui-rtl', stylisPlugins: [prefixer, rtlPlugin] }),
};

export function ThemeRoot({ children }: { children: ReactNode }) {
  const { direction } = useLocale();
  const theme = useMemo(
    () =>
      createTheme({
        direction,
        palette: { primary: { main: '#0b5394' }, secondary: { main: '#8a4b08' } },
        typography: {
          fontFamily: '"Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", system-ui, sans-serif',
        },
        components: {
          // Focus stays visible for keyboard users (WCAG 2.4.7 and 2.4.11).
          MuiButtonBase: { defaultProps: { disableRipple: false } },
          MuiCssBaseline: {
            styleOverrides: {
              ':focus-visible': { outline: '3px solid #f9a825', outlineOffset: '2px' },
            },
          },
        },
      }),
    [direction],
  );
  return (
    <CacheProvider value={caches[direction]}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        {children}
      </ThemeProvider>
    </CacheProvider>
  );
}
