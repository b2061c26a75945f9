import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@nmirf/platform';
import {
  ReportingDeadlineListDto,
  ReportingDeadlinesQuery,
  ReportingDeadlineView,
} from './reporting-deadlines.dto';
import { ReportingDeadlinesService } from './reporting-deadlines.service';

/** The reporting calendar as the coordinator's deadlines: the State's, not a ministry's. */
@ApiTags('reporting deadlines')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('reporting-deadlines')
export class ReportingDeadlinesController {
  constructor(private readonly deadlines: ReportingDeadlinesService) {}

  @Get()
  @ApiOperation({ summary: 'The reporting deadlines, earliest first, with their planned reminders' })
  @ApiOkResponse({ type: ReportingDeadlineListDto })
  async list(@Query() query: ReportingDeadlinesQuery): Promise<ReportingDeadlineListDto> {
    return { items: await this.deadlines.list(query.open) };
  }

  @Get(':deadlineId')
  @ApiOperation({ summary: 'One reporting deadline and its planned reminders' })
  @ApiOkResponse({ type: ReportingDeadlineView })
  @ApiNotFoundResponse({ description: 'No such deadline in the calendar (yet)' })
  get(@Param('deadlineId', ParseUUIDPipe) deadlineId: string): Promise<ReportingDeadlineView> {
    return this.deadlines.get(deadlineId);
  }
}
