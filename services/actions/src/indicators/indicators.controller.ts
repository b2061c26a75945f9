import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
  Param,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, ifMatch, Roles, type Principal } from '@nmirf/platform';
import type { Response } from 'express';
import type { IndicatorSubject } from './indicator';
import { indicatorView } from './indicator.view';
import { definitionOf, IdParams, IndicatorDto, MeasurementDto, measurementOf } from './indicators.dto';
import { IndicatorsService, type IndicatorDetails } from './indicators.service';

const READERS = ['coordinator', 'focal_point', 'institution_validator'] as const;

/**
 * Indicators of actions and of recommendations: the coordinator defines them; measurements come from
 * the coordinator and the focal points of the institutions working on them. 404 for anyone else.
 */
@ApiTags('indicators')
@ApiBearerAuth()
@Controller()
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get('actions/:id/indicators')
  @Roles(...READERS)
  @ApiOperation({ summary: 'An action’s indicators, with their measurements and next reporting dates' })
  async listOfAction(@Param() params: IdParams, @Caller() caller: Principal) {
    return this.list({ kind: 'action', id: params.id }, caller);
  }

  @Post('actions/:id/indicators')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Define an indicator of the action' })
  async createForAction(
    @Param() params: IdParams,
    @Body() body: IndicatorDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.create({ kind: 'action', id: params.id }, body, caller, response);
  }

  @Get('recommendations/:id/indicators')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'A recommendation’s indicators',
    description: 'For the coordinator, and the people of the institutions working on an action serving it.',
  })
  async listOfRecommendation(@Param() params: IdParams, @Caller() caller: Principal) {
    return this.list({ kind: 'recommendation', id: params.id }, caller);
  }

  @Post('recommendations/:id/indicators')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Define an indicator of the recommendation' })
  async createForRecommendation(
    @Param() params: IdParams,
    @Body() body: IndicatorDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.create({ kind: 'recommendation', id: params.id }, body, caller, response);
  }

  @Get('indicators/:id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'An indicator, with its measurements and next reporting date' })
  async get(
    @Param() params: IdParams,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answer(response, await this.indicators.get(params.id, caller));
  }

  @Put('indicators/:id')
  @Roles('coordinator')
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The ETag of the indicator as read: 428 without it, 412 when it has changed since',
  })
  @ApiOperation({ summary: 'Redefine the indicator (coordinator)' })
  async update(
    @Param() params: IdParams,
    @Body() body: IndicatorDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const precondition = ifMatch(header);
    if (!precondition)
      throw new HttpException(
        {
          error: 'Precondition Required',
          message: 'Send If-Match with the ETag of the indicator as you read it',
        },
        HttpStatus.PRECONDITION_REQUIRED,
      );
    return answer(
      response,
      await this.indicators.update(params.id, caller, definitionOf(body), precondition),
    );
  }

  @Post('indicators/:id/measurements')
  @HttpCode(201)
  @Roles('coordinator', 'focal_point')
  @ApiOperation({
    summary: 'Report a measurement',
    description:
      'The coordinator, or a focal point of an institution working on the action (for a recommendation’s indicator, on an action serving it); optionally within one of its progress reports.',
  })
  async measure(
    @Param() params: IdParams,
    @Body() body: MeasurementDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return answer(response, await this.indicators.measure(params.id, caller, measurementOf(body)));
  }

  private async list(subject: IndicatorSubject, caller: Principal) {
    const items = await this.indicators.list(subject, caller);
    return { items: items.map((details) => indicatorView(details)), total: items.length };
  }

  private async create(subject: IndicatorSubject, body: IndicatorDto, caller: Principal, response: Response) {
    const details = await this.indicators.create(subject, caller, definitionOf(body));
    response.location(`/indicators/${details.indicator.id}`);
    return answer(response, details);
  }
}

function answer(response: Response, details: IndicatorDetails) {
  response.setHeader('ETag', `"${details.indicator.version}"`);
  return indicatorView(details);
}
