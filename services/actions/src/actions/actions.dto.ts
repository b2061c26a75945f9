import { IsNameOrTitle, IsStrictDateTime, PageQuery } from '@nmirf/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_MILESTONES, MAX_RECOMMENDATIONS, MAX_SDG_TARGETS, SDG_TARGET } from './action-details';
import { ACTION_STATUSES, type ActionStatus } from './action-status';

export class CreateActionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  recommendationId: string;

  @ApiProperty({
    example: 'Draft the law ratifying the Convention on Enforced Disappearance',
    maxLength: 500,
  })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(500)
  title: string;

  @ApiPropertyOptional({ maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiPropertyOptional({
    example: 'Ministry of Justice',
    description: 'The lead institution’s id in the directory (GET /institutions); requires dueDate',
  })
  @ValidateIf((dto: CreateActionDto) => dto.dueDate !== undefined || dto.institution !== undefined)
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  institution?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Requires institution; today or later',
  })
  @ValidateIf((dto: CreateActionDto) => dto.dueDate !== undefined || dto.institution !== undefined)
  @IsStrictDateTime()
  dueDate?: Date;
}

export class AssignActionDto {
  @ApiProperty({ example: 'Ministry of Justice', description: 'The lead institution’s id in the directory' })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  institution: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Today or later' })
  @IsStrictDateTime()
  dueDate: Date;
}

export class ChangeDueDateDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'Today or later' })
  @IsStrictDateTime()
  dueDate: Date;

  @ApiPropertyOptional({ maxLength: 2_000 })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  reason?: string;
}

export class ReportProgressDto {
  @ApiProperty({ enum: ACTION_STATUSES })
  @IsIn(ACTION_STATUSES)
  status: ActionStatus;

  @ApiPropertyOptional({ maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  note?: string;
}

export class ListActionsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'The lead institution’s id' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  institution?: string;

  @ApiPropertyOptional({ enum: ACTION_STATUSES })
  @IsOptional()
  @IsIn(ACTION_STATUSES)
  status?: ActionStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  recommendationId?: string;
}

export class AssignCommandDto {
  @ApiProperty({ example: 'Ministry of Justice', description: 'The lead institution’s id in the directory' })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  institution: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['Ministry of Interior'],
    description: 'Supporting institutions’ ids; they report progress but do not close the action',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNameOrTitle({ each: true })
  @MaxLength(200, { each: true })
  supportingInstitutions?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Today or later; required for the first assignment, kept otherwise',
  })
  @IsOptional()
  @IsStrictDateTime()
  dueDate?: Date;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 2_000, description: 'Why; must not be blank' })
  @IsString()
  @MaxLength(2_000)
  reason: string;
}

export class MilestoneDto {
  @ApiProperty({ example: 'Bill sent to the Government', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(500)
  title: string;

  @ApiProperty({ type: String, format: 'date', example: '2027-03-01' })
  @IsStrictDateTime({ dateOnly: true })
  dueDate: Date;

  @ApiProperty()
  @IsBoolean()
  done: boolean;
}

/** What `PATCH /actions/{id}` changes; a field left out stays, `null` clears an optional one. */
export class UpdateActionDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(500)
  title?: string;

  @ApiPropertyOptional({ maxLength: 10_000 })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true })
  @ValidateIf((dto: UpdateActionDto) => dto.startDate !== null && dto.startDate !== undefined)
  @IsStrictDateTime({ dateOnly: true })
  startDate?: Date | null;

  @ApiPropertyOptional({ type: [MilestoneDto], maxItems: MAX_MILESTONES })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones?: MilestoneDto[];

  @ApiPropertyOptional({ maxLength: 500, nullable: true, example: 'MoJ 2027 / 1305-27-0012' })
  @ValidateIf((dto: UpdateActionDto) => dto.budgetLine !== null && dto.budgetLine !== undefined)
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(500)
  budgetLine?: string | null;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Every recommendation the action serves; the first is its primary one',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RECOMMENDATIONS)
  @IsUUID('all', { each: true })
  recommendationIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['16.3', '16.a'], description: 'SDG targets' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SDG_TARGETS)
  @Matches(SDG_TARGET, {
    each: true,
    message: 'each value in sdgTargets must be an SDG target such as 16.3 or 16.a',
  })
  sdgTargets?: string[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @ValidateIf((dto: UpdateActionDto) => dto.planId !== null && dto.planId !== undefined)
  @IsUUID()
  planId?: string | null;
}
