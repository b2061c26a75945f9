import type { Route } from '../../route';

/** The public portal: no sign-in, published items only. */
export const publicRoutes: Route[] = [];
