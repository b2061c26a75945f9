import { PlatformAudit1765000000000 } from '../audit/audit-migration';
import { PlatformOrdering1764979200000 } from './platform-ordering';
import { PlatformTables1764201600000 } from './platform-tables';
import { PlatformTracing1766000000100 } from './platform-tracing';

/** The platform's own tables; every service lists these before its migrations. */
export const platformMigrations = [
  PlatformTables1764201600000,
  PlatformOrdering1764979200000,
  PlatformAudit1765000000000,
  PlatformTracing1766000000100,
];
