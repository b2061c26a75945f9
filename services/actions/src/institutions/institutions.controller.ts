import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  PreconditionFailedException,
  Put,
  Query,
  Req,
  Res,
  UnprocessableEntityException,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, ifMatch, Public, Roles, type Principal } from '@nmirf/platform';
import type { Request, Response } from 'express';
import { readCsvBody } from './csv-body';
import { CSV_COLUMNS, CSV_MAX_BYTES, parseInstitutionsCsv } from './institution-csv';
import { etagOf, fullView, publicView } from './institution.view';
import type { Institution } from './institution.entity';
import {
  CreateInstitutionDto,
  InstitutionParams,
  ListInstitutionsQuery,
  UpdateInstitutionDto,
} from './institutions.dto';
import { InstitutionsService, RejectedRowsError, StaleVersionError } from './institutions.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag of the entry as read; a write on a stale read gets 412',
};

/** The directory: anyone reads names and kinds, signed-in users also who works where; the coordinator writes. */
@ApiTags('institutions')
@ApiBearerAuth()
@Controller('institutions')
export class InstitutionsController {
  constructor(private readonly institutions: InstitutionsService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'List institutions, searched and filtered',
    description: 'Anonymous callers get ids, kinds, parents, names and acronyms only.',
  })
  async list(@Query() query: ListInstitutionsQuery, @Caller() caller?: Principal) {
    const { items, total } = await this.institutions.list(query);
    return { items: items.map(caller ? fullView : publicView), total };
  }

  @Get(':id')
  @Public()
  async get(
    @Param() params: InstitutionParams,
    @Res({ passthrough: true }) response: Response,
    @Caller() caller?: Principal,
  ) {
    const institution = await this.institutions.get(params.id);
    if (!caller) return publicView(institution);
    return this.answer(response, institution);
  }

  @Post()
  @Roles('coordinator')
  @ApiOperation({ summary: 'Add an institution' })
  async create(@Body() body: CreateInstitutionDto, @Res({ passthrough: true }) response: Response) {
    const institution = await this.institutions.create({
      id: body.id,
      active: true,
      ...fields(body),
    });
    response.location(`/institutions/${encodeURIComponent(institution.id)}`);
    return this.answer(response, institution);
  }

  @Put(':id')
  @Roles('coordinator')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Replace an institution’s fields (the id stays); marks it reviewed' })
  async update(
    @Param() params: InstitutionParams,
    @Body() body: UpdateInstitutionDto,
    @Headers('if-match') precondition: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const institution = await stale(() =>
      this.institutions.update(params.id, { ...fields(body), active: body.active }, ifMatch(precondition)),
    );
    return this.answer(response, institution);
  }

  @Delete(':id')
  @Roles('coordinator')
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary: 'Deactivate an institution',
    description:
      'It takes no new assignments; it stays in the directory, as actions and history refer to it.',
  })
  async deactivate(
    @Param() params: InstitutionParams,
    @Headers('if-match') precondition: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const institution = await stale(() => this.institutions.deactivate(params.id, ifMatch(precondition)));
    return this.answer(response, institution);
  }

  @Post('import')
  @HttpCode(200)
  @Roles('coordinator')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: CSV_MAX_BYTES, files: 1, fields: 0 } }))
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOperation({
    summary: 'Create or update institutions from a CSV file, all or nothing',
    description:
      `UTF-8 (a BOM is fine), , ; or tab separated, a header row with the columns ${CSV_COLUMNS.join(', ')} ` +
      '(id, kind and name_en required; lists of users separated by ;). A column left out leaves that field as ' +
      `it is. At most ${CSV_MAX_BYTES} bytes. Any error: 422 with every error and its line, and nothing applied.`,
  })
  async import(@UploadedFile() file: { buffer: Buffer } | undefined, @Req() request: Request) {
    const bytes = file ? file.buffer : await readCsvBody(request, CSV_MAX_BYTES);
    try {
      return await this.institutions.importCsv(parseInstitutionsCsv(bytes));
    } catch (error) {
      if (error instanceof RejectedRowsError)
        throw new UnprocessableEntityException({ message: error.message, errors: error.errors });
      throw error;
    }
  }

  private answer(response: Response, institution: Institution) {
    response.setHeader('ETag', etagOf(institution));
    return fullView(institution);
  }
}

function fields(body: CreateInstitutionDto | UpdateInstitutionDto) {
  return {
    kind: body.kind,
    parentId: body.parentId ?? null,
    names: { ...body.names },
    acronym: body.acronym ?? null,
    focalPointIds: [...new Set(body.focalPointIds ?? [])],
    validatorIds: [...new Set(body.validatorIds ?? [])],
  };
}

async function stale<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof StaleVersionError) throw new PreconditionFailedException(error.message);
    throw error;
  }
}
