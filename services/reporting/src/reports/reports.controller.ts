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
import { Roles } from '@nmirf/platform';
import { ListReportsQuery, RequestReportDto } from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Request a report; it is compiled in the background' })
  @ApiAcceptedResponse({ description: 'The report, queued' })
  request(@Body() body: RequestReportDto) {
    return this.reports.request({ kind: body.kind, format: body.format, institution: body.institution });
  }

  @Get()
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Requested reports, newest first' })
  list(@Query() query: ListReportsQuery) {
    return this.reports.list(query);
  }

  @Get(':id')
  @Roles('coordinator', 'admin')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.reports.get(id);
  }

  @Get(':id/file')
  @Roles('coordinator', 'admin')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Download the compiled file; 409 until the report is ready' })
  async file(@Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    const file = await this.reports.openFile(id);
    return new StreamableFile(file.stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.size,
    });
  }
}
