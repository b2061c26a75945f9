import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles, type Principal } from '@nmirf/platform';
import { InboxPageView, InboxQuery, InstitutionParams, NotificationView } from './inbox.dto';
import { InboxService } from './inbox.service';

@ApiTags('inbox')
@ApiBearerAuth()
@Roles('coordinator', 'focal_point', 'institution_validator')
@Controller()
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get('institutions/:institution/inbox')
  @ApiOperation({ summary: 'An institution’s notifications, newest first, with its unread count' })
  @ApiOkResponse({ type: InboxPageView })
  list(
    @Param() params: InstitutionParams,
    @Query() query: InboxQuery,
    @Caller() caller: Principal,
  ): Promise<InboxPageView> {
    return this.inbox.list(params.institution, query, caller);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a notification as read (again is harmless)' })
  @ApiOkResponse({ type: NotificationView })
  @ApiNotFoundResponse({ description: 'No notification with this id' })
  markRead(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: Principal): Promise<NotificationView> {
    return this.inbox.markRead(id, caller);
  }
}
