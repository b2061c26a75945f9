/** The platform's roles. A service account has none; it acts through its scopes. */
export const ROLES = [
  'admin',
  'coordinator',
  'focal_point',
  'institution_validator',
  'nhri',
  'civil_society',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the verified access token says. */
export interface Principal {
  subject: string;
  /** A display name for history and events; never logged. */
  name: string;
  kind: 'user' | 'service';
  roles: ReadonlySet<Role>;
  /** The institutions the person acts for (focal points, validators). */
  institutions: readonly string[];
  scopes: ReadonlySet<string>;
  /** The token's standard claims email, locale and zoneinfo, when the provider sends them. */
  contact?: { email?: string; locale?: string; zoneinfo?: string };
}

export const hasRole = (principal: Principal | undefined, ...roles: Role[]): boolean =>
  Boolean(principal && roles.some((role) => principal.roles.has(role)));

/**
 * Whether the caller may see or act on work that belongs to `institution`: the secretariat may,
 * otherwise only members of that institution.
 */
export function actsFor(principal: Principal | undefined, institution: string): boolean {
  if (!principal) return false;
  if (principal.roles.has('coordinator')) return true;
  return principal.institutions.some(
    (own) => own.localeCompare(institution, undefined, { sensitivity: 'accent' }) === 0,
  );
}

/** Institutions whose work the caller may see; undefined means all of them. */
export function visibleInstitutions(principal: Principal | undefined): readonly string[] | undefined {
  if (hasRole(principal, 'coordinator', 'admin')) return undefined;
  return principal?.institutions ?? [];
}
