import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, type Principal } from '@nmirf/platform';
import {
  ImplementationStatusDto,
  OverrideImplementationStatusDto,
  RemoveOverrideDto,
} from './implementation-status.dto';
import { ImplementationStatusService } from './implementation-status.service';

@ApiTags('implementation status')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('recommendations/:id/implementation-status')
export class ImplementationStatusController {
  constructor(private readonly implementation: ImplementationStatusService) {}

  @Get()
  @Roles('coordinator', 'focal_point', 'institution_validator')
  @ApiOperation({
    summary: 'The recommendation’s implementation status: derived from its actions, overridden, in force',
    description: 'With every override set or removed and its justification, oldest first.',
  })
  @ApiOkResponse({ type: ImplementationStatusDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.implementation.get(id);
  }

  @Put()
  @ApiOperation({
    summary: 'Override the implementation status, with a justification',
    description: 'The override stays in force, whatever the actions do, until it is removed.',
  })
  @ApiOkResponse({ type: ImplementationStatusDto })
  override(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OverrideImplementationStatusDto,
    @Caller() caller: Principal,
  ) {
    return this.implementation.override(id, body.status, body.justification, caller.subject);
  }

  @Delete()
  @ApiOperation({
    summary: 'Remove the override: the status follows the actions again',
    description: 'The justification is kept in the history with the override removed.',
  })
  @ApiOkResponse({ type: ImplementationStatusDto })
  removeOverride(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RemoveOverrideDto,
    @Caller() caller: Principal,
  ) {
    return this.implementation.removeOverride(id, body.justification, caller.subject);
  }
}
