import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiAcceptedResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, type Principal } from '@nmirf/platform';
import { ListReportsQuery, RequestReportDto } from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @HttpCode(202)
  @Roles('coordinator', 'focal_point')
  @ApiOperation({
    summary: 'Request a report; it is compiled in the background',
    description:
      'The coordinator any report; a focal point only the task list of their own institution (403 otherwise).',
  })
  @ApiAcceptedResponse({ description: 'The report, queued' })
  request(@Body() body: RequestReportDto, @Caller() caller: Principal) {
    return this.reports.request({ ...body }, caller);
  }

  @Get()
  @Roles('coordinator', 'admin', 'focal_point')
  @ApiOperation({
    summary: 'Requested reports, newest first (a focal point: their institutions’ task lists)',
  })
  list(@Query() query: ListReportsQuery, @Caller() caller: Principal) {
    return this.reports.list(query, caller);
  }

  @Get(':id')
  @Roles('coordinator', 'admin', 'focal_point')
  @ApiOperation({ summary: 'A report with its status and progress (0–100) while it is compiled' })
  get(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: Principal) {
    return this.reports.get(id, caller);
  }

  @Get(':id/file')
  @Roles('coordinator', 'admin', 'focal_point')
  @ApiProduces(
    'text/csv',
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  @ApiOperation({ summary: 'Download the compiled file; 409 until the report is ready' })
  async file(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: Principal): Promise<StreamableFile> {
    const file = await this.reports.openFile(id, caller);
    return new StreamableFile(file.stream, {
      type: file.mediaType,
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.size,
    });
  }
}
