import { PlatformTables1764201600000 } from '@nmirf/platform';
import { Action } from './actions/action.entity';
import { ProgressUpdate } from './actions/progress-update.entity';
import { Actions1764201700000 } from './migrations/1764201700000-actions';
import { KnownRecommendation } from './recommendations/known-recommendation.entity';

export const SCHEMA = 'actions';
export const entities = [Action, ProgressUpdate, KnownRecommendation];
export const migrations = [PlatformTables1764201600000, Actions1764201700000];
