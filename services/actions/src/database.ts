import { platformMigrations } from '@nmirf/platform';
import { Action } from './actions/action.entity';
import { ProgressUpdate } from './actions/progress-update.entity';
import { Institution } from './institutions/institution.entity';
import { Actions1764201700000 } from './migrations/1764201700000-actions';
import { Institutions1765300000000 } from './migrations/1765300000000-institutions';
import { KnownRecommendation } from './recommendations/known-recommendation.entity';

export const SCHEMA = 'actions';
export const entities = [Action, ProgressUpdate, KnownRecommendation, Institution];
export const migrations = [...platformMigrations, Actions1764201700000, Institutions1765300000000];
