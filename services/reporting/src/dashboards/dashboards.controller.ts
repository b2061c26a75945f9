import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Public, Roles, type Principal } from '@nmirf/platform';
import {
  ActionCountsQuery,
  ActionListQuery,
  DeadlinesQuery,
  RecommendationCountsQuery,
  RecommendationListQuery,
  SeriesQuery,
} from './dashboards.dto';
import { DashboardsService } from './dashboards.service';

const SCOPE =
  'The coordinator sees everything; a focal point the actions their institutions lead or support (and the recommendations those serve); anyone else, signed in or not, only published items (actions of published plans, published recommendations).';
const MAX_MONTHS = 120;

/** The months asked for: none when `to` is before `from`, at most the last MAX_MONTHS up to `to`. */
function months(query: SeriesQuery): { from: Date; to: Date } {
  const earliest = new Date(
    Date.UTC(query.to.getUTCFullYear(), query.to.getUTCMonth() - (MAX_MONTHS - 1), 1),
  );
  return { from: query.from < earliest ? earliest : query.from, to: query.to };
}

/** Drillable dashboard numbers: every count answers with the filter of the list behind it. */
@ApiTags('dashboards')
@ApiBearerAuth()
@Controller('dashboards')
export class DashboardsController {
  constructor(private readonly dashboards: DashboardsService) {}

  @Get('actions/counts')
  @Public()
  @ApiOperation({
    summary: 'Actions by workflow status, grouped by institution, SDG goal or target, or plan',
    description: `Each number carries \`query\`, the filter GET /dashboards/actions takes to list what it counts. ${SCOPE}`,
  })
  actionCounts(@Query() query: ActionCountsQuery, @Caller() caller?: Principal) {
    const { by, top, ...filter } = query;
    return this.dashboards.actionCounts(by, filter, caller, new Date(), top);
  }

  @Get('recommendations/counts')
  @Public()
  @ApiOperation({
    summary: 'Recommendations by implementation status, grouped by mechanism, cycle, theme, SDG or cluster',
    description: `Each number carries \`query\`, the filter GET /dashboards/recommendations takes. ${SCOPE}`,
  })
  recommendationCounts(@Query() query: RecommendationCountsQuery, @Caller() caller?: Principal) {
    const { by, top, ...filter } = query;
    return this.dashboards.recommendationCounts(by, filter, caller, new Date(), top);
  }

  @Get('deadlines')
  @Public()
  @ApiOperation({
    summary: 'Open actions overdue, and due within 30, 60 and 90 days',
    description: `Each window includes the shorter ones. ${SCOPE}`,
  })
  deadlines(@Query() query: DeadlinesQuery, @Caller() caller?: Principal) {
    const { due: _due, ...filter } = query;
    return this.dashboards.deadlines(filter, caller);
  }

  @Get('series/implementation-status')
  @Public()
  @ApiOperation({
    summary: 'Recommendations per implementation status at the end of each month',
    description: SCOPE,
  })
  implementationSeries(@Query() query: SeriesQuery, @Caller() caller?: Principal) {
    const { from, to } = months(query);
    return this.dashboards.implementationSeries(from, to, caller);
  }

  @Get('series/progress-reports')
  @Roles('coordinator', 'admin', 'focal_point', 'institution_validator')
  @ApiOperation({
    summary: 'Progress reports first submitted in each month',
    description: 'The coordinator all; a focal point or validator those on their institutions’ actions.',
  })
  progressSeries(@Query() query: SeriesQuery, @Caller() caller: Principal) {
    const { from, to } = months(query);
    return this.dashboards.progressSeries(from, to, caller);
  }

  @Get('actions')
  @Public()
  @ApiOperation({
    summary: 'The actions behind a number, soonest due first',
    description: `${SCOPE} The next page: after=<next>.`,
  })
  listActions(@Query() query: ActionListQuery, @Caller() caller?: Principal) {
    const { limit, offset, after, ...filter } = query;
    return this.dashboards.listActions(filter, { limit, offset, after }, caller);
  }

  @Get('recommendations')
  @Public()
  @ApiOperation({
    summary: 'The recommendations behind a number, by document and paragraph',
    description: SCOPE,
  })
  listRecommendations(@Query() query: RecommendationListQuery, @Caller() caller?: Principal) {
    const { limit, offset, after, ...filter } = query;
    return this.dashboards.listRecommendations(filter, { limit, offset, after }, caller);
  }
}
