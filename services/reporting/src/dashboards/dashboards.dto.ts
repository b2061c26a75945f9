import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoundedInt, IsNameOrTitle, IsStrictDateTime } from '@nmirf/platform';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import {
  ACTION_DIMENSIONS,
  DEFAULT_TOP_GROUPS,
  decodeCursor,
  MAX_TOP_GROUPS,
  DUE_WINDOWS,
  IMPLEMENTATION_STATUSES,
  RECOMMENDATION_DIMENSIONS,
  WORKFLOW_STATUSES,
  type ActionDimension,
  type DueWindow,
  type ListCursor,
  type RecommendationDimension,
} from './dashboard-query';

const SDG_GOAL = /^(?:[1-9]|1[0-7])$/;
const SDG_TARGET = /^(?:[1-9]|1[0-7])\.(?:[1-9]\d?|[a-z])$/;
/** Theme keys, mechanism codes and kinds: one ASCII token, no spaces. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

/**
 * `after`: the `next` cursor of an earlier page of the same list, decoded; a page starts either
 * there or at `offset`, not both.
 */
function IsListCursor(list: ListCursor['list']): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? (decodeCursor(value, list) ?? value) : value)),
    ValidateBy({
      name: 'isListCursor',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          typeof value === 'object' &&
          (value as ListCursor | null)?.list === list &&
          !((args?.object as { offset?: number }).offset ?? 0),
        defaultMessage: (args?: ValidationArguments) =>
          typeof args?.value === 'object'
            ? 'after and offset cannot be combined: after starts the page'
            : 'after must be the next cursor of a page of this list',
      },
    }),
  );
}

const AFTER_DESCRIPTION =
  'The `next` of the page before: the page starts after its last item (an index range, where a large offset reads every row it skips)';

/** What the list of actions behind a number is filtered by; each count answers with one. */
export class ActionFilterQuery {
  @ApiPropertyOptional({ enum: WORKFLOW_STATUSES })
  @IsOptional()
  @IsIn(WORKFLOW_STATUSES)
  status?: string;

  @ApiPropertyOptional({
    example: 'ministry-of-justice',
    description: 'Led by this institution (directory id)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  leadInstitution?: string;

  @ApiPropertyOptional({ example: 'ministry-of-health', description: 'Supported by this institution' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  supportingInstitution?: string;

  @ApiPropertyOptional({
    example: 'ministry-of-justice',
    description: 'Led or supported by this institution',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  institution?: string;

  @ApiPropertyOptional({ example: '16', pattern: SDG_GOAL.source })
  @IsOptional()
  @IsString()
  @Matches(SDG_GOAL, { message: 'sdgGoal must be an SDG goal, 1 to 17' })
  sdgGoal?: string;

  @ApiPropertyOptional({ example: '16.3', pattern: SDG_TARGET.source })
  @IsOptional()
  @IsString()
  @Matches(SDG_TARGET, { message: 'sdgTarget must be an SDG target such as 16.3 or 16.a' })
  sdgTarget?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  planId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  recommendationId?: string;

  @ApiPropertyOptional({
    enum: DUE_WINDOWS,
    description: 'Open actions past their due date (overdue) or due within 30, 60 or 90 days',
  })
  @IsOptional()
  @IsIn(DUE_WINDOWS)
  due?: DueWindow;
}

export class ActionCountsQuery extends ActionFilterQuery {
  @ApiProperty({ enum: ACTION_DIMENSIONS, description: 'What to group by; status gives the totals only' })
  @IsIn(ACTION_DIMENSIONS)
  by: ActionDimension;

  @ApiPropertyOptional({
    default: DEFAULT_TOP_GROUPS,
    minimum: 1,
    maximum: MAX_TOP_GROUPS,
    description: 'The largest groups to return (by total); groupCount says how many there are in all',
  })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: MAX_TOP_GROUPS })
  top = DEFAULT_TOP_GROUPS;
}

export class DeadlinesQuery extends ActionFilterQuery {}

export class ActionListQuery extends ActionFilterQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: 500 })
  limit = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 10_000 })
  @IsOptional()
  @IsBoundedInt({ min: 0, max: 10_000 })
  offset = 0;

  @ApiPropertyOptional({ description: AFTER_DESCRIPTION })
  @IsOptional()
  @IsListCursor('actions')
  after?: ListCursor;
}

export class RecommendationFilterQuery {
  @ApiPropertyOptional({ enum: IMPLEMENTATION_STATUSES })
  @IsOptional()
  @IsIn(IMPLEMENTATION_STATUSES)
  implementationStatus?: string;

  @ApiPropertyOptional({ example: 'UPR', pattern: KEY.source, description: 'The body: UPR, CEDAW, SR-…' })
  @IsOptional()
  @IsString()
  @Matches(KEY, { message: 'mechanism must be a mechanism code such as UPR or CEDAW' })
  mechanism?: string;

  @ApiPropertyOptional({ example: 'treaty_body', pattern: KEY.source })
  @IsOptional()
  @IsString()
  @Matches(KEY, { message: 'mechanismKind must be a kind such as upr or treaty_body' })
  mechanismKind?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 99, description: 'UPR cycle' })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: 99 })
  cycle?: number;

  @ApiPropertyOptional({
    example: 'ratification-international-instruments',
    pattern: KEY.source,
    description: 'Theme concept key (the cross-cycle crosswalk’s)',
  })
  @IsOptional()
  @IsString()
  @Matches(KEY, { message: 'theme must be a theme key' })
  theme?: string;

  @ApiPropertyOptional({ example: '16', pattern: SDG_GOAL.source })
  @IsOptional()
  @IsString()
  @Matches(SDG_GOAL, { message: 'sdgGoal must be an SDG goal, 1 to 17' })
  sdgGoal?: string;

  @ApiPropertyOptional({ example: '16.3', pattern: SDG_TARGET.source })
  @IsOptional()
  @IsString()
  @Matches(SDG_TARGET, { message: 'sdgTarget must be an SDG target such as 16.3 or 16.a' })
  sdgTarget?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Cluster id' })
  @IsOptional()
  @IsUUID()
  cluster?: string;

  @ApiPropertyOptional({
    example: 'ministry-of-justice',
    description: 'Served by this institution’s actions',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  institution?: string;
}

export class RecommendationCountsQuery extends RecommendationFilterQuery {
  @ApiProperty({ enum: RECOMMENDATION_DIMENSIONS })
  @IsIn(RECOMMENDATION_DIMENSIONS)
  by: RecommendationDimension;

  @ApiPropertyOptional({
    default: DEFAULT_TOP_GROUPS,
    minimum: 1,
    maximum: MAX_TOP_GROUPS,
    description: 'The largest groups to return (by total); groupCount says how many there are in all',
  })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: MAX_TOP_GROUPS })
  top = DEFAULT_TOP_GROUPS;
}

export class RecommendationListQuery extends RecommendationFilterQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: 500 })
  limit = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 10_000 })
  @IsOptional()
  @IsBoundedInt({ min: 0, max: 10_000 })
  offset = 0;

  @ApiPropertyOptional({ description: AFTER_DESCRIPTION })
  @IsOptional()
  @IsListCursor('recommendations')
  after?: ListCursor;
}

export class SeriesQuery {
  @ApiProperty({ type: String, format: 'date', example: '2025-01-01', description: 'First month' })
  @IsStrictDateTime({ dateOnly: true })
  from: Date;

  @ApiProperty({
    type: String,
    format: 'date',
    example: '2026-12-31',
    description: 'Last month (at most 120 months)',
  })
  @IsStrictDateTime({ dateOnly: true })
  to: Date;
}
