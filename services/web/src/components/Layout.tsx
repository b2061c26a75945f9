import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { useAuth } from '../auth/AuthProvider';
import type { Route } from '../route';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Link } from './Link';

/** The menu lists the routes that name an entry and that the user's role may open; the APIs decide. */
export function Layout({ path, routes, children }: { path: string; routes: Route[]; children: ReactNode }) {
  const intl = useIntl();
  const { person, signIn, signOut, hasRole } = useAuth();
  const visible = routes.flatMap((route) =>
    route.nav && (!route.roles || hasRole(...route.roles)) ? [{ href: route.pattern, label: route.nav }] : [],
  );
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
          <Container
            component="ul"
            sx={{ display: 'flex', flexWrap: 'wrap', gap: 3, listStyle: 'none', m: 0, py: 1 }}
          >
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
