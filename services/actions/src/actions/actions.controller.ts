import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AssignActionDto,
  ChangeDueDateDto,
  CreateActionDto,
  ListActionsQuery,
  ReportProgressDto,
} from './actions.dto';
import { ActionsService } from './actions.service';

@ApiTags('actions')
@Controller('actions')
export class ActionsController {
  constructor(private readonly actions: ActionsService) {}

  @Post()
  @ApiOperation({ summary: 'Create an action for a recommendation, optionally assigned with a due date' })
  create(@Body() body: CreateActionDto) {
    return this.actions.create({
      recommendationId: body.recommendationId,
      title: body.title,
      description: body.description,
      assignment:
        body.institution && body.dueDate ? { institution: body.institution, dueAt: body.dueDate } : undefined,
    });
  }

  @Get()
  @ApiOperation({ summary: 'List actions, filtered by institution, status or recommendation' })
  list(@Query() query: ListActionsQuery) {
    return this.actions.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.actions.get(id);
  }

  @Put(':id/assignment')
  @ApiOperation({ summary: 'Assign (or reassign) the action to an institution with a due date' })
  assign(@Param('id', ParseUUIDPipe) id: string, @Body() body: AssignActionDto) {
    return this.actions.assign(id, { institution: body.institution, dueAt: body.dueDate });
  }

  @Put(':id/due-date')
  @ApiOperation({ summary: 'Move the due date; reminders follow' })
  changeDueDate(@Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeDueDateDto) {
    return this.actions.changeDueDate(id, body.dueDate, body.reason ?? '');
  }

  @Post(':id/progress')
  @ApiOperation({ summary: 'Report progress, possibly changing the status' })
  reportProgress(@Param('id', ParseUUIDPipe) id: string, @Body() body: ReportProgressDto) {
    return this.actions.reportProgress(id, body.status, body.note ?? '');
  }

  @Get(':id/progress')
  @ApiOperation({ summary: 'The action’s progress history' })
  history(@Param('id', ParseUUIDPipe) id: string) {
    return this.actions.history(id);
  }
}
