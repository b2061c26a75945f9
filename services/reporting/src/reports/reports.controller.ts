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
import { ApiAcceptedResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ListReportsQuery, RequestReportDto } from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
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
  @ApiOperation({ summary: 'Requested reports, newest first' })
  list(@Query() query: ListReportsQuery) {
    return this.reports.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.reports.get(id);
  }

  @Get(':id/file')
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
