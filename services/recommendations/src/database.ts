import { platformMigrations } from '@nmirf/platform';
import { Cluster, ClusterMember } from './clusters/cluster.entity';
import { ImportRow } from './imports/import-row.entity';
import { Import } from './imports/import.entity';
import { RecommendationLinkCheck } from './linking/link-check.entity';
import { RecommendationLink } from './links/recommendation-link.entity';
import { Recommendations1764201800000 } from './migrations/1764201800000-recommendations';
import { Catalogue1764806400000 } from './migrations/1764806400000-catalogue';
import { ImplementationStatus1765400000001 } from './migrations/1765400000001-implementation-status';
import { Publication1766000000003 } from './migrations/1766000000003-publication';
import { ImportRowWarnings1767000000600 } from './migrations/1767000000600-import-row-warnings';
import { ImportJobs1767000000900 } from './migrations/1767000000900-import-jobs';
import { IncrementalLinksAndSearch1767000000930 } from './migrations/1767000000930-incremental-links-and-search';
import { ImportRowReasons1767000000970 } from './migrations/1767000000970-import-row-reasons';
import { JointBodies1767000000980 } from './migrations/1767000000980-joint-bodies';
import { CatalogueVersionAtCommit1767000000981 } from './migrations/1767000000981-catalogue-version-at-commit';
import { SearchTable1767000001100 } from './migrations/1767000001100-search-table';
import { LinksKeptByTriggers1767000001200 } from './migrations/1767000001200-links-kept-by-triggers';
import { LighterImportWrites1767000001300 } from './migrations/1767000001300-lighter-import-writes';
import { RecommendationHistory } from './recommendations/recommendation-history.entity';
import { RecommendationSource } from './recommendations/recommendation-source.entity';
import { Recommendation } from './recommendations/recommendation.entity';

export const SCHEMA = 'recommendations';
export const entities = [
  Recommendation,
  RecommendationSource,
  RecommendationHistory,
  Import,
  ImportRow,
  RecommendationLink,
  RecommendationLinkCheck,
  Cluster,
  ClusterMember,
];
export const migrations = [
  ...platformMigrations,
  Recommendations1764201800000,
  Catalogue1764806400000,
  ImplementationStatus1765400000001,
  Publication1766000000003,
  ImportRowWarnings1767000000600,
  ImportJobs1767000000900,
  IncrementalLinksAndSearch1767000000930,
  ImportRowReasons1767000000970,
  JointBodies1767000000980,
  CatalogueVersionAtCommit1767000000981,
  SearchTable1767000001100,
  LinksKeptByTriggers1767000001200,
  LighterImportWrites1767000001300,
];
