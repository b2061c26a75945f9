import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoundedInt, IsNameOrTitle, IsStrictDateTime } from '@nmirf/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  ACTION_DIMENSIONS,
  DUE_WINDOWS,
  IMPLEMENTATION_STATUSES,
  RECOMMENDATION_DIMENSIONS,
  WORKFLOW_STATUSES,
  type ActionDimension,
  type DueWindow,
  type RecommendationDimension,
} from './dashboard-query';

const SDG_GOAL = /^(?:[1-9]|1[0-7])$/;
const SDG_TARGET = /^(?:[1-9]|1[0-7])\.(?:[1-9]\d?|[a-z])$/;
/** Theme keys, mechanism codes and kinds: one ASCII token, no spaces. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

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
