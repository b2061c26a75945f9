import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useAuth } from '../auth/AuthProvider';
import type { Role } from '../auth/session';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Link } from './Link';

/** The pages and who sees them in the menu; each page checks again, and the APIs decide. */
export const NAVIGATION: { href: string; label: string; roles?: Role[] }[] = [
  { href: '/', label: 'nav.home' },
  { href: '/dashboard', label: 'nav.dashboard', roles: ['coordinator', 'admin'] },
  { href: '/recommendations', label: 'nav.recommendations' },
  { href: '/tasks', label: 'nav.tasks', roles: ['focal_point', 'institution_validator'] },
];

export function Layout({ path, children }: { path: string; children: ReactNode }) {
  const intl = useIntl();
  const { person, signIn, signOut, hasRole } = useAuth();
  const visible = NAVIGATION.filter((item) => !item.roles || hasRole(...item.roles));
  return (
    <>
      <a className="skip-link" href="#content">
        <FormattedMessage id="app.skipToContent" />
      </a>
      <AppBar position="static" component="header">
        <Toolbar sx={{ gap: 2, flexWrap: 'wrap', py: 1 }}>
          <Typography component="p" variant="h6" sx={{ flexGrow: 1 }}>
            <FormattedMessage id="app.title" />
          </Typography>
          <LanguageSwitcher />
          {person ? (
            <>
              <Typography component="p" variant="body2">
                <FormattedMessage id="auth.signedInAs" values={{ name: person.name }} />
              </Typography>
              <Button color="inherit" variant="outlined" onClick={() => void signOut()}>
                <FormattedMessage id="auth.signOut" />
              </Button>
            </>
          ) : (
            <Button color="inherit" variant="outlined" onClick={() => void signIn()}>
              <FormattedMessage id="auth.signIn" />
            </Button>
          )}
        </Toolbar>
        <Box
          component="nav"
          aria-label={intl.formatMessage({ id: 'nav.main' })}
          sx={{ bgcolor: 'primary.dark' }}
        >
          <Container component="ul" sx={{ display: 'flex', gap: 3, listStyle: 'none', m: 0, py: 1 }}>
            {visible.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  color="inherit"
                  underline={path === item.href ? 'always' : 'hover'}
                  aria-current={path === item.href ? 'page' : undefined}
                  sx={{ color: 'common.white', fontWeight: 500 }}
                >
                  <FormattedMessage id={item.label} />
                </Link>
              </li>
            ))}
          </Container>
        </Box>
      </AppBar>
      <Container component="main" id="content" tabIndex={-1} sx={{ py: 3 }}>
        {children}
      </Container>
    </>
  );
}
