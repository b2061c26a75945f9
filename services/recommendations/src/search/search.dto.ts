import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  IsBoundedInt,
  IsStrictDateTime,
  MAX_OFFSET,
  parseIntegerList,
  SMALLINT_MAX,
  toBooleanFlag,
} from '@nmirf/platform';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { IMPLEMENTATION_STATUSES } from '../implementation/implementation-status';
import { MECHANISM_KINDS, POSITIONS, RECOMMENDATION_TYPES } from '../recommendations/recommendation.entity';
import { IsStateCode, toStateCode, toStateName } from '../taxonomy/state-fields';
import { DEFAULT_FACET_LIMIT, MAX_FACET_LIMIT, SORTS, type SortKey } from './search-filters';

/** `?theme=a&theme=b` or `?theme=a,b`. */
const list = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
/** Repeated parameters only: State names can contain commas. */
const repeated = ({ value }: { value: unknown }) => (Array.isArray(value) ? value : [value]).map(String);

/** The most rows one export request may ask for with `limit`. */
export const MAX_EXPORT_ROWS = 100_000;

export class SearchQuery {
  @ApiPropertyOptional({
    default: 50,
    minimum: 0,
    maximum: 500,
    description: 'Recommendations per page; 0 returns the total and the facets only',
  })
  @IsOptional()
  @IsBoundedInt({ min: 0, max: 500 })
  limit = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @IsBoundedInt({ min: 0, max: MAX_OFFSET })
  offset = 0;

  @ApiPropertyOptional({
    description: 'Full text: words, "a phrase", or -excluded',
    example: 'enforced disappearance',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;

  @ApiPropertyOptional({ enum: MECHANISM_KINDS, isArray: true })
  @IsOptional()
  @Transform(list)
  @IsIn(MECHANISM_KINDS, { each: true })
  mechanism?: string[];

  @ApiPropertyOptional({ example: ['UPR', 'CEDAW'], isArray: true })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(50)
  @MaxLength(100, { each: true })
  body?: string[];

  @ApiPropertyOptional({ example: [2, 3], isArray: true, description: 'UPR cycle' })
  @IsOptional()
  @Transform(parseIntegerList)
  @ArrayMaxSize(50)
  @IsBoundedInt({ min: 1, max: SMALLINT_MAX, each: true })
  cycle?: number[];

  @ApiPropertyOptional({ example: [34], isArray: true, description: 'UPR session' })
  @IsOptional()
  @Transform(parseIntegerList)
  @ArrayMaxSize(50)
  @IsBoundedInt({ min: 1, max: SMALLINT_MAX, each: true })
  session?: number[];

  @ApiPropertyOptional({
    description: 'Theme concept keys (see /taxonomies/themes); older cycles’ codes match too',
  })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  theme?: string[];

  @ApiPropertyOptional({ description: 'Affected persons or groups (see /taxonomies/groups)' })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(50)
  @MaxLength(200, { each: true })
  group?: string[];

  @ApiPropertyOptional({ example: ['16', '5.2'], description: 'SDG goals or targets' })
  @IsOptional()
  @Transform(list)
  @Matches(/^\d{1,2}(\.[0-9a-z]{1,2})?$/, {
    each: true,
    message: 'sdg must be a goal (16) or a target (16.3)',
  })
  sdg?: string[];

  @ApiPropertyOptional({ enum: POSITIONS, isArray: true })
  @IsOptional()
  @Transform(list)
  @IsIn(POSITIONS, { each: true })
  position?: string[];

  @ApiPropertyOptional({ enum: RECOMMENDATION_TYPES, isArray: true })
  @IsOptional()
  @Transform(list)
  @IsIn(RECOMMENDATION_TYPES, { each: true })
  type?: string[];

  @ApiPropertyOptional({
    example: ['SVN'],
    description: 'State under review: ISO 3166 alpha-3 code or name',
  })
  @IsOptional()
  @Transform((input) => list(input).map(toStateCode))
  @ArrayMaxSize(50)
  @IsStateCode({ each: true })
  state?: string[];

  @ApiPropertyOptional({
    example: ['France'],
    description: 'Recommending State, by name or ISO 3166 alpha-3 code (repeat the parameter for several)',
  })
  @IsOptional()
  @Transform((input) => repeated(input).map(toStateName))
  @ArrayMaxSize(50)
  @MaxLength(100, { each: true })
  recommendingState?: string[];

  @ApiPropertyOptional({ example: ['A/HRC/43/15'] })
  @IsOptional()
  @Transform(list)
  @ArrayMaxSize(50)
  @MaxLength(100, { each: true })
  documentSymbol?: string[];

  @ApiPropertyOptional({ example: '2015-01-01', type: String, format: 'date' })
  @IsOptional()
  @IsStrictDateTime({ dateOnly: true })
  publishedFrom?: Date;

  @ApiPropertyOptional({ example: '2020-12-31', type: String, format: 'date' })
  @IsOptional()
  @IsStrictDateTime({ dateOnly: true })
  publishedTo?: Date;

  @ApiPropertyOptional({ description: 'Members of a cluster' })
  @IsOptional()
  @IsUUID()
  cluster?: string;

  @ApiPropertyOptional({
    enum: IMPLEMENTATION_STATUSES,
    isArray: true,
    description: 'How far implemented, rolled up from the actions (repeat the parameter for several)',
  })
  @IsOptional()
  @Transform(list)
  @IsIn(IMPLEMENTATION_STATUSES, { each: true })
  implementationStatus?: string[];

  @ApiPropertyOptional({
    type: Boolean,
    description: 'Published for anonymous readers, or not (anonymous readers only ever see published ones)',
  })
  @IsOptional()
  @Transform(toBooleanFlag)
  @IsBoolean()
  published?: boolean;

  @ApiPropertyOptional({ enum: SORTS, default: 'relevance' })
  @IsOptional()
  @IsIn(SORTS)
  sort: SortKey = 'relevance';

  @ApiPropertyOptional({
    default: true,
    description:
      'Count the results by mechanism, body, cycle, session, position, type, State under review (`state`), theme, group, SDG, recommending State and implementation status',
  })
  @IsOptional()
  @Transform(toBooleanFlag)
  @IsBoolean()
  facets = true;

  @ApiPropertyOptional({
    default: DEFAULT_FACET_LIMIT,
    minimum: 1,
    maximum: MAX_FACET_LIMIT,
    description:
      'Values listed per facet, most frequent first; `facetsTruncated` names the facets that have more',
  })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: MAX_FACET_LIMIT })
  facetLimit = DEFAULT_FACET_LIMIT;
}

/** The export streams every match, from `offset`, unless `limit` says otherwise. */
export class ExportQuery extends OmitType(SearchQuery, ['limit', 'offset', 'facetLimit'] as const) {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_EXPORT_ROWS,
    description: 'At most this many rows; all when omitted',
  })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: MAX_EXPORT_ROWS })
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @IsBoundedInt({ min: 0, max: MAX_OFFSET })
  offset = 0;

  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format: 'csv' | 'xlsx' = 'csv';
}
