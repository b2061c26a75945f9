import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, type Principal } from '@nmirf/platform';
import { DeadlineView } from './deadline.dto';
import { DeadlinesService } from './deadlines.service';

@ApiTags('deadlines')
@ApiBearerAuth()
@Roles('coordinator', 'focal_point', 'institution_validator')
@Controller('deadlines')
export class DeadlinesController {
  constructor(private readonly deadlines: DeadlinesService) {}

  @Get(':actionId')
  @ApiOperation({ summary: 'An action’s deadline and the reminders sent for it' })
  @ApiOkResponse({ type: DeadlineView })
  @ApiNotFoundResponse({ description: 'No deadline known for this action' })
  get(
    @Param('actionId', ParseUUIDPipe) actionId: string,
    @Caller() caller: Principal,
  ): Promise<DeadlineView> {
    return this.deadlines.get(actionId, caller);
  }
}
