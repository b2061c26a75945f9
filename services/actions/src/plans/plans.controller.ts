import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Public, Roles, type Principal } from '@nmirf/platform';
import type { Response } from 'express';
import { etagOf, requireIfMatch } from '../actions/action-etag';
import { ListPlansQuery, PlanDto } from './plans.dto';
import { PlansService } from './plans.service';

const IF_MATCH = {
  name: 'If-Match',
  required: true,
  description: 'The plan’s ETag as read (`"<version>"`): 428 without it, 412 when it has changed since',
};

/** Implementation plans: the coordinator's to write; published ones are public. */
@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Post()
  @Roles('coordinator')
  @ApiOperation({ summary: 'Create a plan (unpublished unless `published` says otherwise)' })
  async create(@Body() body: PlanDto, @Res({ passthrough: true }) response: Response) {
    const plan = await this.plans.create(body);
    response.setHeader('ETag', etagOf(plan));
    response.location(`/plans/${plan.id}`);
    return plan;
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Plans: every one for signed-in users, the published ones for anyone else' })
  list(@Query() query: ListPlansQuery, @Caller() caller?: Principal) {
    return this.plans.list(query, caller);
  }

  @Get(':id')
  @Public()
  @ApiOperation({
    summary: 'A plan and its actions',
    description:
      'An unpublished plan is 404 without sign-in. Its actions: all of them when published or for the coordinator; otherwise those of your institutions.',
  })
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) response: Response,
    @Caller() caller?: Principal,
  ) {
    const plan = await this.plans.get(id, caller);
    response.setHeader('ETag', etagOf(plan));
    return plan;
  }

  @Put(':id')
  @Roles('coordinator')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Replace the plan, publishing or unpublishing it' })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: PlanDto,
    @Headers('if-match') header: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const plan = await this.plans.update(id, body, requireIfMatch(header));
    response.setHeader('ETag', etagOf(plan));
    return plan;
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('coordinator')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Delete the plan; its actions stay, outside any plan' })
  async remove(@Param('id', ParseUUIDPipe) id: string, @Headers('if-match') header: string | undefined) {
    await this.plans.remove(id, requireIfMatch(header));
  }
}
