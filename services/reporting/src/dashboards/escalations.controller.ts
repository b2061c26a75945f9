import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, type Principal } from '@nmirf/platform';
import { EscalationCounts, ESCALATION_RUNGS, type EscalationCountsView } from './escalation-counts';

class RungCountsView {
  @ApiProperty()
  focal_point: number;
  @ApiProperty()
  institution_validator: number;
  @ApiProperty()
  coordinator: number;
}

class InstitutionEscalationsView {
  @ApiProperty({ example: 'ministry-of-justice' })
  institutionId: string;
  @ApiProperty({ example: 'Ministry of Justice' })
  institution: string;
  @ApiProperty({ description: 'Escalation steps taken, every rung' })
  escalations: number;
  @ApiProperty({ description: 'Actions escalated at least once' })
  actions: number;
  @ApiProperty({ type: RungCountsView, description: `Steps per rung: ${ESCALATION_RUNGS.join(', ')}` })
  byRung: RungCountsView;
}

class EscalationCountsDto {
  @ApiProperty({ enum: ['all', 'institutions', 'public'] })
  scope: 'all' | 'institutions' | 'public';
  @ApiProperty()
  total: number;
  @ApiProperty({ type: [InstitutionEscalationsView] })
  institutions: InstitutionEscalationsView[];
}

@ApiTags('dashboards')
@ApiBearerAuth()
@Controller('dashboards')
export class EscalationsController {
  constructor(private readonly escalations: EscalationCounts) {}

  @Get('escalations')
  @Roles('coordinator', 'admin', 'focal_point', 'institution_validator')
  @ApiOperation({
    summary: 'Escalations of overdue actions per responsible institution, by rung of the ladder',
    description: 'The coordinator all; a focal point or validator those of their institutions’ actions.',
  })
  @ApiOkResponse({ type: EscalationCountsDto })
  counts(@Caller() caller: Principal): Promise<EscalationCountsView> {
    return this.escalations.byInstitution(caller);
  }
}
