import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@nmirf/platform';
import { SummaryDto, SummaryQuery } from './summary.dto';
import { SummaryService } from './summary.service';

@ApiTags('summary')
@ApiBearerAuth()
@Roles('coordinator', 'admin')
@Controller('summary')
export class SummaryController {
  constructor(private readonly summary: SummaryService) {}

  @Get()
  @ApiOperation({
    summary:
      'Actions by status and institution, with how many are overdue; recommendations by implementation status',
  })
  @ApiOkResponse({ type: SummaryDto })
  get(@Query() query: SummaryQuery) {
    return this.summary.summarize({ institution: query.institution });
  }
}
