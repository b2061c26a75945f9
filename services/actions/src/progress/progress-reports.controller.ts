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
  ifMatch,
  MediaTypeRefusedError,
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
  ReportContentDto,
  ReportFileParams,
  ReportParams,
  ReturnReportDto,
} from './progress-reports.dto';
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
  constructor(private readonly reports: ProgressReportsService) {}

  @Get('actions/:id/progress-reports')
  @Roles('coordinator', 'focal_point', 'institution_validator')
  @ApiOperation({
    summary: 'An action’s progress reports',
    description:
      'The coordinator sees all; the lead institution’s people see all; a supporting institution’s, its own.',
  })
  async list(@Param() params: ActionParams, @Caller() caller: Principal) {
    const items = await this.reports.list(params.id, caller);
    return { items: items.map(reportView), total: items.length };
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
  @Roles('coordinator', 'focal_point', 'institution_validator')
  @ApiOperation({ summary: 'A progress report, with its returns and evidence files' })
  async get(
    @Param() params: ReportParams,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answer(response, await this.reports.get(params.id, caller));
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
