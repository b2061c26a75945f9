import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
  Param,
  PayloadTooLargeException,
  Post,
  PreconditionFailedException,
  Put,
  Query,
  Req,
  Res,
  StreamableFile,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  BlobTooLargeError,
  Caller,
  DomainError,
  ifMatch,
  MediaTypeRefusedError,
  Public,
  Roles,
  type Principal,
} from '@nmirf/platform';
import type { Request, Response } from 'express';
import type { Refusal } from '../workflow';
import { REFUSAL_STATUS, ReportRefusedError } from './progress-report';
import { etagOf, reportView } from './progress-report.view';
import {
  ActionParams,
  contentOf,
  FileNameQuery,
  ListReportsQuery,
  ReportContentDto,
  ReportFileParams,
  PublishReportDto,
  ReportParams,
  ReturnReportDto,
} from './progress-reports.dto';
import { ReportNotAcceptedError, ReportPublicationService, type Publication } from './report-publication';
import {
  ProgressReportsService,
  StaleReportError,
  type ReportDetails,
  type ReviewStep,
} from './progress-reports.service';

/** Types the body parsers read before a handler could stream them, and multipart, which is not taken. */
const NOT_A_FILE_BODY =
  /^\s*(application\/([\w.+-]+\+)?json|application\/x-www-form-urlencoded|multipart\/)/i;

/** The field a refusal is about, where it is about one. */
const REFUSAL_FIELD: Partial<Record<Refusal, string>> = {
  comments_required: 'comments',
  final_by_lead_only: 'final',
};

const IF_MATCH_OPTIONAL = {
  name: 'If-Match',
  required: false,
  description: 'The ETag of the report as read; a step on a stale read gets 412',
};

/**
 * Progress reports on actions: written by a focal point of the lead or of a supporting institution,
 * approved or returned by that institution's validator, accepted or returned by the coordinator
 * (workflow/README.md). A report is 404 for anyone who may not see it.
 */
@ApiTags('progress reports')
@ApiBearerAuth()
@Controller()
export class ProgressReportsController {
  constructor(
    private readonly reports: ProgressReportsService,
    private readonly publication: ReportPublicationService,
  ) {}

  @Get('actions/:id/progress-reports')
  @Public()
  @ApiOperation({
    summary: 'An action’s progress reports',
    description:
      'The coordinator sees all; the lead institution’s people see all; a supporting institution’s, its own. ' +
      'Anyone else, signed in or not, sees the published ones (public form) of an action in a published plan; 404 otherwise.',
  })
  async list(@Param() params: ActionParams, @Caller() caller?: Principal) {
    const own = caller ? await unlessHidden(() => this.reports.list(params.id, caller)) : null;
    const published = await this.publication.ofAction(params.id);
    if (!own && !published) throw DomainError.notFound('Action', params.id);
    const publications = await this.publication.publicationsOf((own ?? []).map((d) => d.report.id));
    const shown = new Set((own ?? []).map((details) => details.report.id));
    const items = [
      ...(own ?? []).map((details) => fullView(details, publications)),
      ...(published ?? []).filter((report) => !shown.has(report.id)),
    ].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    return { items, total: items.length };
  }

  @Get('progress-reports')
  @Roles('coordinator', 'focal_point', 'institution_validator')
  @ApiOperation({
    summary:
      'Progress reports across actions, e.g. a validator’s queue (`?status=submitted`), oldest submission first',
    description:
      'The coordinator sees all; focal points and validators, the reports their own institutions wrote. ' +
      'Each item is the full report with `actionTitle`; paged with `limit` and `offset`.',
  })
  async page(@Query() query: ListReportsQuery, @Caller() caller: Principal) {
    const { items, total } = await this.reports.page(caller, query);
    const publications = await this.publication.publicationsOf(items.map((item) => item.report.id));
    return {
      items: items.map((item) => ({ ...fullView(item, publications), actionTitle: item.actionTitle })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  @Post('actions/:id/progress-reports')
  @Roles('focal_point')
  @ApiOperation({
    summary: 'Write a progress report on the action (a draft)',
    description:
      'For the lead institution, or a supporting one, while the action is in progress. Only the lead’s may be final.',
  })
  async create(
    @Param() params: ActionParams,
    @Body() body: ReportContentDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const details = await refusals(() => this.reports.create(params.id, caller, contentOf(body)));
    response.location(`/progress-reports/${details.report.id}`);
    return answer(response, details);
  }

  @Get('progress-reports/:id')
  @Public()
  @ApiOperation({
    summary: 'A progress report, with its returns and evidence files',
    description:
      'For those who may see the report. Anyone else, signed in or not, gets a published report of an action in a ' +
      'published plan in its public form (no people, returns or files); 404 otherwise.',
  })
  async get(
    @Param() params: ReportParams,
    @Res({ passthrough: true }) response: Response,
    @Caller() caller?: Principal,
  ) {
    const details = caller ? await unlessHidden(() => this.reports.get(params.id, caller)) : null;
    if (details) {
      response.setHeader('ETag', etagOf(details));
      return fullView(details, await this.publication.publicationsOf([details.report.id]));
    }
    const published = await this.publication.find(params.id);
    if (!published) throw DomainError.notFound('Progress report', params.id);
    return published;
  }

  @Post('progress-reports/:id/publish')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({
    summary:
      'Publish an accepted report for anonymous readers, optionally with a public summary (coordinator)',
    description:
      'Only an accepted report (409 otherwise, code `not_accepted`). Anonymous readers see it once its action is in a published plan. Publishing again replaces the summary.',
  })
  async publish(
    @Param() params: ReportParams,
    @Body() body: PublishReportDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    try {
      await this.publication.publish(params.id, caller.subject, body.summary);
    } catch (error) {
      if (error instanceof ReportNotAcceptedError)
        throw new HttpException(
          {
            message: error.message,
            errors: [{ field: 'status', messages: [error.message], code: error.code }],
          },
          HttpStatus.CONFLICT,
        );
      throw error;
    }
    const details = await this.reports.get(params.id, caller);
    response.setHeader('ETag', etagOf(details));
    return fullView(details, await this.publication.publicationsOf([params.id]));
  }

  @Post('progress-reports/:id/unpublish')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Withdraw a published report from anonymous readers (coordinator)' })
  async unpublish(
    @Param() params: ReportParams,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.publication.unpublish(params.id);
    const details = await this.reports.get(params.id, caller);
    response.setHeader('ETag', etagOf(details));
    return fullView(details, new Map());
  }

  @Put('progress-reports/:id')
  @Roles('focal_point')
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The ETag of the report as read: 428 without it, 412 when it has changed since',
  })
  @ApiOperation({
    summary: 'Rewrite a draft, or a returned report (the reporting institution’s focal points)',
  })
  async update(
    @Param() params: ReportParams,
    @Body() body: ReportContentDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const precondition = ifMatch(header);
    if (!precondition)
      throw new HttpException(
        {
          error: 'Precondition Required',
          message: 'Send If-Match with the ETag of the report as you read it',
        },
        HttpStatus.PRECONDITION_REQUIRED,
      );
    const details = await refusals(() =>
      this.reports.update(params.id, caller, contentOf(body), precondition),
    );
    return answer(response, details);
  }

  @Post('progress-reports/:id/submit')
  @HttpCode(200)
  @Roles('focal_point')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiOperation({ summary: 'Submit the report to the institution’s validator' })
  submit(
    @Param() params: ReportParams,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.step(params.id, { step: 'submit' }, header, caller, response);
  }

  @Post('progress-reports/:id/approve')
  @HttpCode(200)
  @Roles('institution_validator')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiOperation({ summary: 'Approve a submitted report (a validator of the reporting institution)' })
  approve(
    @Param() params: ReportParams,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.step(params.id, { step: 'approve' }, header, caller, response);
  }

  @Post('progress-reports/:id/return')
  @HttpCode(200)
  @Roles('institution_validator', 'coordinator')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiOperation({
    summary: 'Return the report with comments',
    description:
      'A submitted report goes back from the reporting institution’s validator; an approved one from the coordinator.',
  })
  returnReport(
    @Param() params: ReportParams,
    @Body() body: ReturnReportDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.step(params.id, { step: 'return', comments: body.comments }, header, caller, response);
  }

  @Post('progress-reports/:id/accept')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiOperation({
    summary: 'Accept a report the validator approved (coordinator)',
    description: 'Accepting the lead institution’s final report completes the action.',
  })
  accept(
    @Param() params: ReportParams,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.step(params.id, { step: 'accept' }, header, caller, response);
  }

  @Post('progress-reports/:id/evidence')
  @Roles('focal_point')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOperation({
    summary: 'Attach an evidence file (the reporting institution’s focal points, while the report is theirs)',
    description:
      'The file is the request body itself (Content-Type: application/octet-stream, or its own type), its name in `name`. ' +
      'Its type is read from the content: PDF, images, OpenDocument and Office Open XML documents, plain UTF-8 text; anything else is 415. ' +
      'Past EVIDENCE_MAX_BYTES, 413.',
  })
  async attachEvidence(
    @Param() params: ReportParams,
    @Query() query: FileNameQuery,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    try {
      if (NOT_A_FILE_BODY.test(String(request.headers['content-type'] ?? '')))
        throw new UnsupportedMediaTypeException(
          'Send the file as the request body itself, with Content-Type: application/octet-stream',
        );
      const encoding = String(request.headers['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase();
      if (encoding !== 'identity')
        throw new UnsupportedMediaTypeException('Send the file as it is, without Content-Encoding');
      if (Number(request.headers['content-length']) > this.reports.maxFileBytes)
        throw new BlobTooLargeError(this.reports.maxFileBytes);
      const details = await refusals(() =>
        this.reports.attachFile(params.id, caller, query.name, request, ifMatch(header)),
      );
      return answer(response, details);
    } catch (error) {
      // The rest of an upload we refused is not worth reading: answer and close the connection.
      if (!request.readableEnded) response.setHeader('Connection', 'close');
      if (error instanceof BlobTooLargeError) throw new PayloadTooLargeException(error.message);
      if (error instanceof MediaTypeRefusedError)
        throw new UnsupportedMediaTypeException({
          error: 'Unsupported Media Type',
          message: error.message,
          errors: [{ field: 'file', messages: [error.message], detected: error.detected }],
        });
      throw error;
    }
  }

  @Get('progress-reports/:id/evidence/:sha256')
  @Roles('coordinator', 'focal_point', 'institution_validator')
  @ApiOperation({
    summary: 'Download an evidence file',
    description:
      'For whoever may see the report (404 for anyone else); served as an attachment, with the type detected at upload.',
  })
  async downloadEvidence(
    @Param() params: ReportFileParams,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { file, content } = await this.reports.openFile(params.id, caller, params.sha256);
    response.attachment(file.name); // Content-Disposition, with the name encoded for any language
    // After attachment(), which guesses a type from the name: the type is the detected one, and the
    // browser must not second-guess it.
    response.setHeader('Content-Type', file.mediaType);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(content, { length: file.size });
  }

  private async step(
    id: string,
    step: ReviewStep,
    header: string | undefined,
    caller: Principal,
    response: Response,
  ) {
    return answer(response, await refusals(() => this.reports.review(id, caller, step, ifMatch(header))));
  }
}

/** The report as those who may see it read it, with whether and how it is published. */
function fullView(details: ReportDetails, publications: Map<string, Publication>) {
  return { ...reportView(details), publication: publications.get(details.report.id) ?? null };
}

/** What the caller may see as a party to the report, or null where the use case answers 404. */
async function unlessHidden<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') return null;
    throw error;
  }
}

function answer(response: Response, details: ReportDetails) {
  response.setHeader('ETag', etagOf(details));
  return reportView(details);
}

async function refusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StaleReportError) throw new PreconditionFailedException(error.message);
    if (error instanceof ReportRefusedError)
      // The workflow's code travels in `errors`, the part of a problem a client reads to translate it.
      throw new HttpException(
        {
          message: error.message,
          errors: [
            { field: REFUSAL_FIELD[error.code] ?? 'status', messages: [error.message], code: error.code },
          ],
        },
        REFUSAL_STATUS[error.code],
      );
    throw error;
  }
}
