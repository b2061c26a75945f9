import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, type Principal } from '@nmirf/platform';
import type { Response } from 'express';
import { etagOf, requireIfMatch } from './action-etag';
import { AssignCommandDto, ReasonDto } from './actions.dto';
import { ActionsService, type ActionCommand, type ActionView } from './actions.service';

const IF_MATCH = {
  name: 'If-Match',
  required: true,
  description: 'The action’s ETag as read (`"<version>"`): 428 without it, 412 when it has changed since',
};

/**
 * The action workflow's commands (workflow/README.md). Each needs `If-Match`, answers the action with
 * its new ETag, and maps the workflow's refusals: 403 to a party not allowed this step, 404 for another
 * institution's action, 400 for a missing reason or a bad assignment, 409 when the status forbids it.
 */
@ApiTags('actions')
@ApiBearerAuth()
@ApiHeader(IF_MATCH)
@Controller('actions')
export class ActionCommandsController {
  constructor(private readonly actions: ActionsService) {}

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'Assign or reassign: a lead institution, supporting ones, the due date' })
  assign(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AssignCommandDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const command: ActionCommand = {
      type: 'assign',
      lead: body.institution,
      supporting: body.supportingInstitutions ?? [],
      dueAt: body.dueDate,
    };
    return this.run(id, command, header, caller, response);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('focal_point')
  @ApiOperation({ summary: 'The lead institution takes the action on' })
  acknowledge(
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(id, { type: 'acknowledge' }, header, caller, response);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Roles('focal_point')
  @ApiOperation({
    summary: 'The lead institution declines, with a reason; the coordinator reassigns or cancels',
  })
  decline(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(id, { type: 'decline', reason: body.reason }, header, caller, response);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Roles('focal_point')
  @ApiOperation({ summary: 'The lead institution starts the work' })
  start(
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(id, { type: 'start' }, header, caller, response);
  }

  @Post(':id/block')
  @HttpCode(200)
  @Roles('coordinator', 'focal_point')
  @ApiOperation({ summary: 'Work in progress is blocked, with a reason' })
  block(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(id, { type: 'block', reason: body.reason }, header, caller, response);
  }

  @Post(':id/unblock')
  @HttpCode(200)
  @Roles('coordinator', 'focal_point')
  @ApiOperation({ summary: 'Blocked work goes on' })
  unblock(
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(id, { type: 'unblock' }, header, caller, response);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'The coordinator declares the work done' })
  complete(
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(id, { type: 'complete' }, header, caller, response);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'The coordinator cancels an open action, with a reason; cancelled is final' })
  cancel(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(id, { type: 'cancel', reason: body.reason }, header, caller, response);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOperation({ summary: 'The coordinator reopens a completed action, with a reason' })
  reopen(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
    @Headers('if-match') header: string | undefined,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.run(id, { type: 'reopen', reason: body.reason }, header, caller, response);
  }

  private async run(
    id: string,
    command: ActionCommand,
    header: string | undefined,
    caller: Principal,
    response: Response,
  ): Promise<ActionView> {
    const action = await this.actions.command(id, command, caller, requireIfMatch(header));
    response.setHeader('ETag', etagOf(action));
    return action;
  }
}
