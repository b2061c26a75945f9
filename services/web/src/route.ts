import type { ComponentType, LazyExoticComponent } from 'react';
import type { Role } from './auth/session';

export type PageProps = { params: Record<string, string>; search: URLSearchParams };
export type Page = LazyExoticComponent<ComponentType<PageProps>>;

/** A path, the page it shows, and who may open it (the APIs check again: this only spares a 403). */
export interface Route {
  pattern: string;
  page: Page;
  /** Catalogue key of the document title. */
  title: string;
  /** Left out: anyone, signed in or not. */
  roles?: Role[];
  /** Catalogue key of the menu entry, for routes the main menu lists. */
  nav?: string;
}
