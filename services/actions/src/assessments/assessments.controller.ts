import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
  Param,
  Post,
  PreconditionFailedException,
  Put,
  PayloadTooLargeException,
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
  Public,
  Roles,
  type Principal,
} from '@nmirf/platform';
import type { Request, Response } from 'express';
import { isMember } from './assessment-policy';
import { authorView, etagOf, viewFor } from './assessment.view';
import type { Assessment } from './assessment.entity';
import {
  AssessmentFileParams,
  AssessmentParams,
  contentOf,
  CreateAssessmentDto,
  FileNameQuery,
  ListAssessmentsQuery,
  RecommendationParams,
  UpdateAssessmentDto,
} from './assessments.dto';
import {
  AssessmentForbiddenError,
  AssessmentsService,
  OrganisationRequiredError,
  StaleAssessmentError,
} from './assessments.service';

/** Types the body parsers read before a handler could stream them, and multipart, which is not taken. */
const NOT_A_FILE_BODY =
  /^\s*(application\/([\w.+-]+\+)?json|application\/x-www-form-urlencoded|multipart\/)/i;

const IF_MATCH_OPTIONAL = {
  name: 'If-Match',
  required: false,
  description: 'The ETag of the assessment as read; a change on a stale read gets 412',
};

/**
 * Independent assessments by NHRIs and civil society. Anyone reads what is published; the author
 * organisation's NHRI or civil-society members also read its drafts, and alone change them.
 */
@ApiTags('assessments')
@ApiBearerAuth()
@Controller()
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Get('recommendations/:id/assessments')
  @Public()
  @ApiOperation({
    summary: 'A recommendation’s independent assessments',
    description:
      'Published ones for everyone; signed-in members of an author organisation also see its drafts. Withdrawn ones are never listed.',
  })
  async list(
    @Param() params: RecommendationParams,
    @Query() query: ListAssessmentsQuery,
    @Caller() caller?: Principal,
  ) {
    const { items, total } = await this.assessments.list(params.id, caller, query);
    return { items: items.map(viewFor(caller, await this.assessments.filesOf(items))), total };
  }

  @Post('recommendations/:id/assessments')
  @Roles('nhri', 'civil_society')
  @ApiOperation({
    summary: 'Write an assessment of the recommendation’s implementation (a draft)',
    description:
      'For one of the organisations your sign-in carries (`organisation`, required when it carries several). Government roles cannot.',
  })
  async create(
    @Param() params: RecommendationParams,
    @Body() body: CreateAssessmentDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const assessment = await refusals(() =>
      this.assessments.create(params.id, caller, body.organisation, contentOf(body)),
    );
    response.location(`/assessments/${assessment.id}`);
    return this.answer(response, assessment);
  }

  @Get('assessments/:id')
  @Public()
  @ApiOperation({
    summary: 'An assessment',
    description: 'A draft, or a withdrawn assessment, is 404 for anyone outside its author organisation.',
  })
  async get(
    @Param() params: AssessmentParams,
    @Res({ passthrough: true }) response: Response,
    @Caller() caller?: Principal,
  ) {
    const assessment = await this.assessments.get(params.id, caller);
    if (isMember(caller, assessment.authorOrganisationId)) return this.answer(response, assessment);
    return viewFor(caller, await this.assessments.filesOf([assessment]))(assessment);
  }

  @Put('assessments/:id')
  @Roles('nhri', 'civil_society')
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The ETag of the assessment as read: 428 without it, 412 when it has changed since',
  })
  @ApiOperation({ summary: 'Replace the status, narrative and links (author organisation only)' })
  async update(
    @Param() params: AssessmentParams,
    @Body() body: UpdateAssessmentDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const precondition = ifMatch(header);
    if (!precondition)
      throw new HttpException(
        {
          error: 'Precondition Required',
          message: 'Send If-Match with the ETag of the assessment as you read it',
        },
        HttpStatus.PRECONDITION_REQUIRED,
      );
    const assessment = await refusals(() =>
      this.assessments.update(params.id, caller, contentOf(body), precondition),
    );
    return this.answer(response, assessment);
  }

  @Post('assessments/:id/publish')
  @HttpCode(200)
  @Roles('nhri', 'civil_society')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiOperation({
    summary: 'Publish the assessment: anyone, signed in or not, may then read it',
    description: 'The author organisation decides; publishing a published assessment changes nothing.',
  })
  async publish(
    @Param() params: AssessmentParams,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const assessment = await refusals(() => this.assessments.publish(params.id, caller, ifMatch(header)));
    return this.answer(response, assessment);
  }

  @Post('assessments/:id/unpublish')
  @HttpCode(200)
  @Roles('nhri', 'civil_society')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiOperation({ summary: 'Take the assessment off the public record; it becomes a draft again' })
  async unpublish(
    @Param() params: AssessmentParams,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const assessment = await refusals(() => this.assessments.unpublish(params.id, caller, ifMatch(header)));
    return this.answer(response, assessment);
  }

  @Delete('assessments/:id')
  @HttpCode(204)
  @Roles('nhri', 'civil_society')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiOperation({
    summary: 'Withdraw the assessment',
    description: 'Hidden from everyone from then on; the audit trail keeps its history.',
  })
  async withdraw(
    @Param() params: AssessmentParams,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
  ): Promise<void> {
    await refusals(() => this.assessments.withdraw(params.id, caller, ifMatch(header)));
  }

  @Post('assessments/:id/files')
  @Roles('nhri', 'civil_society')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOperation({
    summary: 'Attach an evidence file (author organisation only)',
    description:
      'The file is the request body itself (Content-Type: application/octet-stream, or its own type), its name in `name`. ' +
      'Its type is read from the content: PDF, images, OpenDocument and Office Open XML documents, plain UTF-8 text; anything else is 415. ' +
      'Past EVIDENCE_MAX_BYTES (25 MiB by default), 413.',
  })
  async attachFile(
    @Param() params: AssessmentParams,
    @Query() query: FileNameQuery,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    try {
      const type = String(request.headers['content-type'] ?? '');
      if (NOT_A_FILE_BODY.test(type))
        throw new UnsupportedMediaTypeException(
          'Send the file as the request body itself, with Content-Type: application/octet-stream',
        );
      const encoding = String(request.headers['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase();
      if (encoding !== 'identity')
        throw new UnsupportedMediaTypeException('Send the file as it is, without Content-Encoding');
      if (Number(request.headers['content-length']) > this.assessments.maxFileBytes)
        throw new BlobTooLargeError(this.assessments.maxFileBytes);
      const assessment = await refusals(() =>
        this.assessments.attachFile(params.id, caller, query.name, request, ifMatch(header)),
      );
      return await this.answer(response, assessment);
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

  @Get('assessments/:id/files/:sha256')
  @Public()
  @ApiOperation({
    summary: 'Download an evidence file',
    description:
      'For whoever may read the assessment; served as an attachment, with the type detected at upload.',
  })
  async downloadFile(
    @Param() params: AssessmentFileParams,
    @Res({ passthrough: true }) response: Response,
    @Caller() caller?: Principal,
  ): Promise<StreamableFile> {
    const { file, content } = await this.assessments.openFile(params.id, caller, params.sha256);
    response.attachment(file.name); // Content-Disposition, with the name encoded for any language
    // After attachment(), which guesses a type from the name: the type is the detected one, and the
    // browser must not second-guess it.
    response.setHeader('Content-Type', file.mediaType);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(content, { length: file.size });
  }

  @Delete('assessments/:id/files/:sha256')
  @Roles('nhri', 'civil_society')
  @ApiHeader(IF_MATCH_OPTIONAL)
  @ApiOperation({ summary: 'Remove an evidence file from the assessment (author organisation only)' })
  async removeFile(
    @Param() params: AssessmentFileParams,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const assessment = await refusals(() =>
      this.assessments.removeFile(params.id, caller, params.sha256, ifMatch(header)),
    );
    return this.answer(response, assessment);
  }

  /** The author organisation's view, with the ETag. */
  private async answer(response: Response, assessment: Assessment) {
    response.setHeader('ETag', etagOf(assessment));
    return authorView(assessment, (await this.assessments.filesOf([assessment])).get(assessment.id) ?? []);
  }
}

async function refusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StaleAssessmentError) throw new PreconditionFailedException(error.message);
    if (error instanceof AssessmentForbiddenError) throw new ForbiddenException(error.message);
    if (error instanceof OrganisationRequiredError)
      throw new BadRequestException({
        error: 'Bad Request',
        message: 'Validation failed',
        errors: [{ field: 'organisation', messages: [error.message] }],
      });
    throw error;
  }
}
