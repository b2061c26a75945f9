import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Caller, PageQuery, Public, type Principal } from '@nmirf/platform';
import type { Response } from 'express';
import { ImportRowsQuery, StartImportDto, TemplateQuery } from './imports.dto';
import { ImportsService } from './imports.service';
import { templateCsv, templateXlsx } from '../mapping/template-file';

/** What multer's disk storage tells us about the upload. */
interface UploadedFileInfo {
  path: string;
  originalname: string;
}

@ApiTags('imports')
@ApiBearerAuth()
@Allow({ roles: ['coordinator'], scopes: ['imports:write'] })
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        format: { type: 'string' },
        dryRun: { type: 'boolean' },
      },
    },
  })
  @ApiOperation({
    summary: 'Import a UHRI export (.xlsx), an OHCHR matrix (.docx) or the template (.csv/.xlsx)',
    description:
      'Answers 202 with the queued import and its Location; the worker runs it. Poll GET /imports/{id} for ' +
      'its phase and progress. An import applies entirely or not at all, and a worker restart runs it again ' +
      'from the stored file.',
  })
  async start(
    @UploadedFile() file: UploadedFileInfo | undefined,
    @Body() body: StartImportDto,
    @Res({ passthrough: true }) response: Response,
    @Caller() caller?: Principal,
  ) {
    if (!file) throw new BadRequestException('Attach the file as the multipart field "file".');
    const record = await this.imports.start({
      path: file.path,
      filename: file.originalname,
      format: body.format,
      dryRun: body.dryRun,
      skipInvalid: body.skipInvalid,
      matrix: {
        documentSymbol: body.documentSymbol,
        stateUnderReview: body.stateUnderReview,
        uprSession: body.uprSession,
      },
      actor: caller?.subject,
    });
    response.location(`/imports/${record.id}`);
    return record;
  }

  @Post(':id/apply')
  @HttpCode(202)
  @ApiOperation({
    summary: "Apply a preview's plan without uploading the file again",
    description:
      "Queues a new import of the preview's stored file (202, Location). 409 when the catalogue changed " +
      'after the preview, when the import is not a finished preview, or when it is already applied.',
  })
  async apply(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) response: Response,
    @Caller() caller?: Principal,
  ) {
    const record = await this.imports.apply(id, caller?.subject);
    response.location(`/imports/${record.id}`);
    return record;
  }

  @Get()
  list(@Query() query: PageQuery) {
    return this.imports.list(query);
  }

  @Get('template')
  @Public()
  @ApiOperation({ summary: 'A sample of the template for regional mechanisms, national plans and pledges' })
  @Header('Cache-Control', 'no-store')
  async template(@Query() query: TemplateQuery, @Res() response: Response) {
    if (query.format === 'xlsx') {
      response.attachment('recommendations-template.xlsx');
      response.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      response.send(await templateXlsx());
      return;
    }
    response.attachment('recommendations-template.csv');
    response.type('text/csv; charset=utf-8');
    response.send(templateCsv());
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'An import: its status, phase and progress (rows read, rows applied), counts and a summary (what it did, rejections and warnings by reason)',
  })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.imports.describe(id);
  }

  @Get(':id/rows')
  @ApiOperation({ summary: 'The row-level report: created, updated, unchanged or rejected, and why' })
  rows(@Param('id', ParseUUIDPipe) id: string, @Query() query: ImportRowsQuery) {
    return this.imports.rows(id, query);
  }
}
