import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { csvLine, Public, Roles, Caller, type Principal } from '@nmirf/platform';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { xlsxStream } from '../export/xlsx-writer';
import { visibleTo } from '../search/search-filters';
import { ExportQuery, SearchQuery } from '../search/search.dto';
import { SearchService, type RecommendationView } from '../search/search.service';
import { CreateRecommendationDto, SetPositionDto } from './recommendations.dto';
import { RecommendationsService } from './recommendations.service';

const EXPORT_COLUMNS = [
  'id',
  'mechanism',
  'body',
  'type',
  'documentSymbol',
  'paragraph',
  'text',
  'stateUnderReview',
  'uprCycle',
  'uprSession',
  'publishedOn',
  'recommendingStates',
  'position',
  'positionSource',
  'positionJustification',
  'themeLabels',
  'groupLabels',
  'sdgTargets',
  'sdgGoals',
  'annotationId',
] as const;

const exportCells = (row: RecommendationView) =>
  EXPORT_COLUMNS.map((column) => {
    const value = row[column];
    return Array.isArray(value) ? value.join('; ') : (value as string | number | null);
  });

@ApiTags('recommendations')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('recommendations')
export class RecommendationsController {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly search: SearchService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Enter a recommendation by hand' })
  create(@Body() body: CreateRecommendationDto) {
    return this.recommendations.create(body);
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Search: full text, filters, facet counts, stable pagination',
    description: 'Anonymous readers search, count and page the published recommendations only.',
  })
  list(@Query() query: SearchQuery, @Caller() caller?: Principal) {
    return this.search.search(visibleTo(query, caller !== undefined), query);
  }

  @Get('export')
  @Public()
  @ApiOperation({
    summary: 'The search results as CSV (formula-safe) or XLSX',
    description: 'Anonymous readers export the published recommendations only.',
  })
  async export(@Query() query: ExportQuery, @Res() response: Response, @Caller() caller?: Principal) {
    const pages = this.search.export(visibleTo(query, caller !== undefined), query.sort, query);
    async function* rows() {
      yield [...EXPORT_COLUMNS];
      for await (const page of pages) for (const row of page) yield exportCells(row);
    }
    if (query.format === 'xlsx') {
      response.attachment('recommendations.xlsx');
      response.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      await pipeline(xlsxStream(rows(), 'Recommendations'), response);
      return;
    }
    response.attachment('recommendations.csv');
    response.type('text/csv; charset=utf-8');
    async function* lines() {
      yield '\uFEFF';
      for await (const row of rows()) yield csvLine(row);
    }
    await pipeline(Readable.from(lines()), response);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'A recommendation (404 to anonymous readers unless published)' })
  get(@Param('id', ParseUUIDPipe) id: string, @Caller() caller?: Principal) {
    return this.recommendations.get(id, { publishedOnly: caller === undefined });
  }

  @Get(':id/history')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Every change: imports that changed it and edits of its position' })
  history(@Param('id', ParseUUIDPipe) id: string) {
    return this.recommendations.history(id);
  }

  @Put(':id/position')
  @ApiOperation({ summary: "Set the State's position, with its justification" })
  setPosition(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: SetPositionDto,
    @Caller() caller?: Principal,
  ) {
    return this.recommendations.setPosition(id, body.position, body.justification, caller?.subject);
  }
}
