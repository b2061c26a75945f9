import { PlatformTables1764201600000 } from '@nmirf/platform';
import { Recommendations1764201800000 } from './migrations/1764201800000-recommendations';
import { Recommendation } from './recommendations/recommendation.entity';

export const SCHEMA = 'recommendations';
export const entities = [Recommendation];
export const migrations = [PlatformTables1764201600000, Recommendations1764201800000];
