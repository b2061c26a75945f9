import { IsNameOrTitle, IsStrictDateTime, PageQuery } from '@nmirf/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';
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
