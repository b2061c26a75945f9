import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, type Principal } from '@nmirf/platform';
import type { Response } from 'express';
import { etagOf, requireIfMatch } from './action-etag';
import {
  AssignActionDto,
  ChangeDueDateDto,
  CreateActionDto,
  ListActionsQuery,
  ReportProgressDto,
  UpdateActionDto,
} from './actions.dto';
import { ActionsService } from './actions.service';

@ApiTags('actions')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an action for a recommendation, optionally assigned with a due date' })
  create(@Body() body: CreateActionDto, @Caller() caller: Principal) {
    return this.actions.create(
      {
        recommendationId: body.recommendationId,
        title: body.title,
        description: body.description,
        assignment:
          body.institution && body.dueDate
            ? { institution: body.institution, dueAt: body.dueDate }
            : undefined,
      },
      caller,
    );
  }

  @Get()
  @Roles('coordinator', 'focal_point', 'institution_validator')
  @ApiOperation({
    summary: 'List actions, filtered by institution, status or recommendation',
    description: 'A focal point or validator sees only the actions of its own institutions.',
  })
  list(@Query() query: ListActionsQuery, @Caller() caller: Principal) {
    return this.actions.list(query, caller);
  }

  @Get(':id')
  @Roles('coordinator', 'focal_point', 'institution_validator')
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const action = await this.actions.get(id, caller);
    response.setHeader('ETag', etagOf(action));
    return action;
  }

  @Put(':id/assignment')
  @ApiOperation({ summary: 'Assign (or reassign) the action to an institution with a due date' })
  assign(@Param('id', ParseUUIDPipe) id: string, @Body() body: AssignActionDto, @Caller() caller: Principal) {
    return this.actions.assign(id, { institution: body.institution, dueAt: body.dueDate }, caller);
  }

  @Patch(':id')
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The action’s ETag as read (`"<version>"`): 428 without it, 412 when it has changed since',
  })
  @ApiOperation({
    summary: 'Change the plan, start date, milestones, budget line, recommendations or SDG targets',
    description: 'The status, institutions and due date change through their own routes.',
  })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateActionDto,
    @Headers('if-match') header: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const action = await this.actions.update(id, body, requireIfMatch(header));
    response.setHeader('ETag', etagOf(action));
    return action;
  }

  @Put(':id/due-date')
  @ApiOperation({ summary: 'Move the due date; reminders follow' })
  changeDueDate(@Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeDueDateDto) {
    return this.actions.changeDueDate(id, body.dueDate, body.reason ?? '');
  }

  @Post(':id/progress')
  @Roles('coordinator', 'focal_point')
  @ApiOperation({
    summary: 'Report progress, possibly changing the status',
    description: 'A focal point reports only on its own institution’s actions.',
  })
  reportProgress(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReportProgressDto,
    @Caller() caller: Principal,
  ) {
    return this.actions.reportProgress(id, body.status, body.note ?? '', caller);
  }

  @Get(':id/progress')
  @Roles('coordinator', 'focal_point', 'institution_validator')
  @ApiOperation({ summary: 'The action’s progress history' })
  history(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: Principal) {
    return this.actions.history(id, caller);
  }
}
