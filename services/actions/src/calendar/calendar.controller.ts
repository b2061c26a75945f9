import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Caller, Public, Roles, type Principal } from '@nmirf/platform';
import { calendarTranslator } from './calendar-messages';
import {
  AppliedMilestoneDto,
  CalendarEntryDto,
  CalendarQuery,
  DocumentToConfirmDto,
  FeedQuery,
  MilestoneDto,
  UpdateManualEntryDto,
} from './calendar.dto';
import { CalendarService } from './calendar.service';
import type { CalendarMechanism, Milestone, ReportingTreatyBody } from './milestone';
import type { CalendarEntry } from './reporting-deadline';

/**
 * The State's reporting calendar. Reading is public, like the recommendations it follows from: it
 * holds only the State's deadlines with the UN and regional mechanisms, no institution's data, and a
 * subscribed calendar application cannot send a bearer token. Changing it is the coordinator's.
 */
@ApiTags('reporting calendar')
@ApiBearerAuth()
@Controller()
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('calendar')
  @Public()
  @ApiOperation({
    summary: 'The reporting calendar: deadlines earliest first',
    description: 'With `lang`, each entry also carries its title and description in that language.',
  })
  @ApiOkResponse({ type: CalendarEntryDto, isArray: true })
  async list(@Query() query: CalendarQuery) {
    const { lang, ...filter } = query;
    const entries = await this.calendar.list(filter);
    if (!lang) return { items: entries };
    const translate = calendarTranslator(lang);
    return {
      items: entries.map((entry) => ({
        ...entry,
        titleText: translate(entry.title),
        descriptionText: translate(entry.description),
      })),
    };
  }

  @Get('calendar.ics')
  @Public()
  @Header('content-type', 'text/calendar; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  @ApiProduces('text/calendar')
  @ApiOperation({
    summary: 'The reporting calendar as an iCalendar feed (RFC 5545) to subscribe to',
    description: 'One all-day event per deadline, alarms 30 and 7 days before; closed ones are CANCELLED.',
  })
  feed(@Query() query: FeedQuery): Promise<string> {
    return this.calendar.feed(query.lang ?? 'en');
  }

  @Get('calendar/documents-to-confirm')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Imported documents that give deadlines, waiting for the coordinator to confirm their dates',
    description:
      'UPR outcomes and concluding observations seen in imports, which carry no review or adoption date: each comes with the milestone to complete and POST to /calendar/milestones. Confirmed once a milestone from the document is recorded.',
  })
  @ApiOkResponse({ type: DocumentToConfirmDto, isArray: true })
  async documentsToConfirm() {
    return { items: await this.calendar.documentsToConfirm() };
  }

  @Post('calendar/milestones')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Record a milestone: a UPR outcome, concluding observations, or a deadline entered by hand',
    description:
      'The deadlines it gives are added or moved, and the ones it supersedes closed; 422 names the field the rules cannot read.',
  })
  @ApiOkResponse({ type: AppliedMilestoneDto })
  applyMilestone(@Body() body: MilestoneDto, @Caller() caller: Principal) {
    return this.calendar.applyMilestone(toMilestone(body), caller.subject);
  }

  @Put('calendar/entries/:id')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Change a deadline entered by hand (title, date); a closed one reopens' })
  @ApiOkResponse({ type: CalendarEntryDto })
  updateManual(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateManualEntryDto,
    @Caller() caller: Principal,
  ): Promise<CalendarEntry> {
    return this.calendar.updateManual(id, body, caller.subject);
  }

  @Delete('calendar/entries/:id')
  @Roles('coordinator')
  @ApiOperation({
    summary: 'Close a deadline entered by hand',
    description: 'Kept, closed: subscribers see it cancelled and its reminders stop.',
  })
  @ApiOkResponse({ type: CalendarEntryDto })
  closeManual(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: Principal): Promise<CalendarEntry> {
    return this.calendar.closeManual(id, caller.subject);
  }
}

/** Keeps the fields of the milestone's kind only; the rules validate them. */
function toMilestone(body: MilestoneDto): Milestone {
  switch (body.kind) {
    case 'upr_outcome':
      return {
        kind: body.kind,
        state: body.state,
        cycle: body.cycle as number,
        documentSymbol: body.documentSymbol as string,
        reviewedOn: body.reviewedOn as string,
        adoptedOn: body.adoptedOn as string,
        ...(body.nextReviewOn ? { nextReviewOn: body.nextReviewOn } : {}),
        ...(body.nationalReportDueOn ? { nationalReportDueOn: body.nationalReportDueOn } : {}),
      };
    case 'concluding_observations':
      return {
        kind: body.kind,
        state: body.state,
        body: body.body as ReportingTreatyBody,
        documentSymbol: body.documentSymbol as string,
        adoptedOn: body.adoptedOn as string,
        followUpParagraphs: body.followUpParagraphs ?? [],
        ...(body.followUpDueOn ? { followUpDueOn: body.followUpDueOn } : {}),
        ...(body.nextPeriodicReport
          ? {
              nextPeriodicReport: {
                dueOn: body.nextPeriodicReport.dueOn,
                ...(body.nextPeriodicReport.number ? { number: body.nextPeriodicReport.number } : {}),
              },
            }
          : {}),
      };
    case 'manual':
      return {
        kind: body.kind,
        state: body.state,
        mechanism: body.mechanism as CalendarMechanism,
        body: body.body as string,
        reference: body.reference as string,
        title: body.title as string,
        dueOn: body.dueOn as string,
      };
  }
}
