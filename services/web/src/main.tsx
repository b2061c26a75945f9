import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AuthProvider } from './auth/AuthProvider';
import { userManagerFor } from './auth/session';
import { loadConfig } from './config';
import { LocaleProvider } from './i18n/LocaleProvider';
import { ThemeRoot } from './theme';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const config = await loadConfig();
root.render(
  <StrictMode>
    <LocaleProvider>
      <ThemeRoot>
        <AuthProvider manager={userManagerFor(config)}>
          <App />
        </AuthProvider>
      </ThemeRoot>
    </LocaleProvider>
  </StrictMode>,
);
