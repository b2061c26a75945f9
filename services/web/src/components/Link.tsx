import MuiLink, { type LinkProps } from '@mui/material/Link';
import type { MouseEvent } from 'react';
import { navigate } from '../router';

/** An ordinary link (it opens in a new tab too) that moves within the app without reloading it. */
export function Link({ href, onClick, ...props }: LinkProps & { href: string }) {
  return (
    <MuiLink
      href={href}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
          return;
        event.preventDefault();
        navigate(href);
      }}
      {...props}
    />
  );
}
