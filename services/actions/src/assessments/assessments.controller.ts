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
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Public, Roles, type Principal } from '@nmirf/platform';
import type { Response } from 'express';
import { isMember } from './assessment-policy';
import { authorView, etagOf, ifMatch, viewFor } from './assessment.view';
import type { Assessment } from './assessment.entity';
import {
  AssessmentParams,
  contentOf,
  CreateAssessmentDto,
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
    return { items: items.map(viewFor(caller)), total };
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
    return answer(response, assessment);
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
    return isMember(caller, assessment.authorOrganisationId)
      ? answer(response, assessment)
      : viewFor(caller)(assessment);
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
    return answer(response, assessment);
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
    return answer(response, assessment);
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
    return answer(response, assessment);
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
}

function answer(response: Response, assessment: Assessment) {
  response.setHeader('ETag', etagOf(assessment));
  return authorView(assessment);
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
