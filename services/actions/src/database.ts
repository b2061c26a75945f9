import { platformMigrations } from '@nmirf/platform';
import { ActionRecommendation, ActionSupportingInstitution } from './actions/action-links.entity';
import { Action } from './actions/action.entity';
import { ProgressUpdate } from './actions/progress-update.entity';
import { CalendarDocument, CalendarEntryRecord, MilestoneRecord } from './calendar/calendar-entry.entity';
import { AssessmentFile } from './assessments/assessment-file.entity';
import { Assessment } from './assessments/assessment.entity';
import { Institution } from './institutions/institution.entity';
import { Actions1764201700000 } from './migrations/1764201700000-actions';
import { Institutions1765300000000 } from './migrations/1765300000000-institutions';
import { ImplementationStatus1765400000000 } from './migrations/1765400000000-implementation-status';
import { Assessments1765500000000 } from './migrations/1765500000000-assessments';
import { AssessmentFiles1765500000001 } from './migrations/1765500000001-assessment-files';
import { ReportingCalendar1765800000000 } from './migrations/1765800000000-reporting-calendar';
import { ActionWorkflow1765600000000 } from './migrations/1765600000000-action-workflow';
import { PlansAndActionDetails1765600000001 } from './migrations/1765600000001-plans-and-action-details';
import { ProgressReports1765700000000 } from './migrations/1765700000000-progress-reports';
import { Indicators1765700000001 } from './migrations/1765700000001-indicators';
import { IndicatorRemindedInstitutions1766000000000 } from './migrations/1766000000000-indicator-reminded-institutions';
import { ActionComments1766000000001 } from './migrations/1766000000001-action-comments';
import { ProgressPublication1766000000002 } from './migrations/1766000000002-progress-publication';
import { Plan } from './plans/plan.entity';
import { KnownRecommendation } from './recommendations/known-recommendation.entity';
import {
  ImplementationOverride,
  ImplementationOverrideHistory,
} from './rollup/implementation-override.entity';
import { ImplementationStatusRecord } from './rollup/implementation-status.entity';

export const SCHEMA = 'actions';
export const entities = [
  Action,
  ActionSupportingInstitution,
  ActionRecommendation,
  Plan,
  ProgressUpdate,
  KnownRecommendation,
  Institution,
  Assessment,
  AssessmentFile,
  ImplementationStatusRecord,
  ImplementationOverride,
  ImplementationOverrideHistory,
  CalendarEntryRecord,
  MilestoneRecord,
  CalendarDocument,
];
export const migrations = [
  ...platformMigrations,
  Actions1764201700000,
  Institutions1765300000000,
  ImplementationStatus1765400000000,
  Assessments1765500000000,
  AssessmentFiles1765500000001,
  ActionWorkflow1765600000000,
  PlansAndActionDetails1765600000001,
  ProgressReports1765700000000,
  Indicators1765700000001,
  ReportingCalendar1765800000000,
  IndicatorRemindedInstitutions1766000000000,
  ActionComments1766000000001,
  ProgressPublication1766000000002,
];
