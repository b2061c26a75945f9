import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../auth/policy';
import { IsStrictDateTime } from '../http/dates';
import { IsBoundedInt } from '../http/numbers';
import { readAuditTrail, type AuditRecordView } from './audit-trail';

export class AuditQuery {
  @ApiPropertyOptional({ description: 'A table such as `actions`, or `route` for refusals' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  entity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  entityId?: string;

  @ApiPropertyOptional({ description: "The actor's subject (token `sub`)" })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  actorId?: string;

  @ApiPropertyOptional({ example: 'update', description: 'insert, update, delete, or e.g. access.refused' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  action?: string;

  @ApiPropertyOptional({ enum: ['applied', 'refused'] })
  @IsOptional()
  @IsIn(['applied', 'refused'])
  outcome?: 'applied' | 'refused';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  correlationId?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'From this instant (inclusive)' })
  @IsOptional()
  @IsStrictDateTime({ maxYearsAhead: 1 })
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Until this instant (exclusive)' })
  @IsOptional()
  @IsStrictDateTime({ maxYearsAhead: 1 })
  to?: Date;

  @ApiPropertyOptional({ description: 'Records before this sequence number: the next page' })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: Number.MAX_SAFE_INTEGER })
  beforeSeq?: number;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: 500 })
  limit = 100;
}

class AuditActorView {
  @ApiProperty({ enum: ['user', 'service', 'system', 'anonymous'] })
  kind: string;
  @ApiProperty()
  id: string;
  @ApiProperty({ nullable: true, type: String })
  name: string | null;
  @ApiProperty({ nullable: true, type: String })
  institution: string | null;
}

class AuditRecordDto {
  @ApiProperty({ description: 'Position in the service’s hash chain' })
  seq: number;
  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: Date;
  @ApiProperty({ type: AuditActorView })
  actor: AuditActorView;
  @ApiProperty()
  entity: string;
  @ApiProperty({ nullable: true, type: String })
  entityId: string | null;
  @ApiProperty()
  action: string;
  @ApiProperty({ enum: ['applied', 'refused'] })
  outcome: 'applied' | 'refused';
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'Changed fields before (updates), or the removed row',
  })
  before: Record<string, unknown> | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'Changed fields after (updates), or the new row',
  })
  after: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String })
  detail: string | null;
  @ApiProperty({ nullable: true, type: String })
  correlationId: string | null;
  @ApiProperty({ nullable: true, type: String })
  causationId: string | null;
  @ApiProperty({ nullable: true, type: String })
  clientAddress: string | null;
  @ApiProperty({ nullable: true, type: String })
  userAgent: string | null;
  @ApiProperty({ description: 'SHA-256 over the previous hash and this record' })
  hash: string;
}

class AuditPage {
  @ApiProperty({ type: [AuditRecordDto] })
  items: AuditRecordView[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `beforeSeq` for the next page' })
  nextBeforeSeq: number | null;
}

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: "This service's audit trail, newest first: changes and refused requests" })
  @ApiOkResponse({ type: AuditPage })
  async list(@Query() query: AuditQuery): Promise<AuditPage> {
    const items = await readAuditTrail(this.dataSource, query);
    return { items, nextBeforeSeq: items.length === query.limit ? items[items.length - 1].seq : null };
  }
}
