import { platformMigrations } from '@nmirf/platform';
import { Reporting1764201800000 } from './migrations/1764201800000-reporting';
import { ImplementationStatus1765400000002 } from './migrations/1765400000002-implementation-status';
import { DashboardReadModel1766000000020 } from './migrations/1766000000020-dashboard-read-model';
import { InstitutionDashboardCounts1766000000021 } from './migrations/1766000000021-institution-dashboard-counts';
import { InstitutionRecommendationCounts1766000000022 } from './migrations/1766000000022-institution-recommendation-counts';
import { CompiledReports1766000000030 } from './migrations/1766000000030-compiled-reports';
import { Escalations1767000000300 } from './migrations/1767000000300-escalations';
import { ReportContent1767000000400 } from './migrations/1767000000400-report-content';
import { ClusterView1767000000401 } from './migrations/1767000000401-cluster-view';
import { DashboardRebuild1767000000500 } from './migrations/1767000000500-dashboard-rebuild';
import { DashboardFastPaths1767000000870 } from './migrations/1767000000870-dashboard-fast-paths';
import { InstitutionDrillCounts1767000000871 } from './migrations/1767000000871-institution-drill-counts';
import { DashboardRecountMemory1767000000872 } from './migrations/1767000000872-dashboard-recount-memory';
import { DashboardKeyTotals1767000001020 } from './migrations/1767000001020-dashboard-key-totals';
import { DueDayCoveringIndex1767000000873 } from './migrations/1767000000873-due-day-covering-index';
import { OpenDueListIndex1767000001040 } from './migrations/1767000001040-open-due-list-index';
import { TargetDrillCounts1767000001041 } from './migrations/1767000001041-target-drill-counts';
import { KeyStatusTotals1767000001055 } from './migrations/1767000001055-key-status-totals';
import { InstitutionGroupCounts1767000001060 } from './migrations/1767000001060-institution-group-counts';
import { DrillPairs1767000001061 } from './migrations/1767000001061-drill-pairs';
import { EarlyReminders1767000001070 } from './migrations/1767000001070-early-reminders';
import { ActionView } from './read-model/action-view.entity';
import { RecommendationView } from './read-model/recommendation-view.entity';
import { Report } from './reports/report.entity';

export const SCHEMA = 'reporting';
export const entities = [RecommendationView, ActionView, Report];
export const migrations = [
  ...platformMigrations,
  Reporting1764201800000,
  ImplementationStatus1765400000002,
  DashboardReadModel1766000000020,
  InstitutionDashboardCounts1766000000021,
  InstitutionRecommendationCounts1766000000022,
  CompiledReports1766000000030,
  Escalations1767000000300,
  ReportContent1767000000400,
  ClusterView1767000000401,
  DashboardRebuild1767000000500,
  DashboardFastPaths1767000000870,
  InstitutionDrillCounts1767000000871,
  DashboardRecountMemory1767000000872,
  DueDayCoveringIndex1767000000873,
  DashboardKeyTotals1767000001020,
  OpenDueListIndex1767000001040,
  TargetDrillCounts1767000001041,
  KeyStatusTotals1767000001055,
  InstitutionGroupCounts1767000001060,
  DrillPairs1767000001061,
  EarlyReminders1767000001070,
];
