import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, Caller, type Principal } from '@nmirf/platform';
import { AcceptSuggestionsDto, CreateClusterDto, MembersDto, SuggestionsQuery } from './clusters.dto';
import { ClustersService } from './clusters.service';

@ApiTags('clusters')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('clusters')
export class ClustersController {
  constructor(private readonly clusters: ClustersService) {}

  @Get()
  @Roles('coordinator', 'focal_point', 'institution_validator', 'nhri', 'civil_society')
  list() {
    return this.clusters.list();
  }

  @Post()
  @ApiOperation({ summary: 'A cluster of your own' })
  create(@Body() body: CreateClusterDto, @Caller() caller?: Principal) {
    return this.clusters.create(body, caller?.subject);
  }

  @Get('suggestions')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Suggested clusters by theme, group of persons, SDG, matrix heading or links' })
  async suggestions(@Query() query: SuggestionsQuery) {
    const suggestions = await this.clusters.suggest(query.basis, query.state);
    // Members can number in the thousands: accepting resolves them on the server.
    return { items: suggestions.map(({ recommendationIds: _ids, ...suggestion }) => suggestion) };
  }

  @Post('suggestions/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept suggested clusters (all, or the given keys)' })
  accept(@Body() body: AcceptSuggestionsDto, @Caller() caller?: Principal) {
    return this.clusters.accept(body.basis, body.keys, body.state, caller?.subject);
  }

  @Get(':id')
  @Roles('coordinator', 'focal_point', 'institution_validator', 'nhri', 'civil_society')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.clusters.get(id);
  }

  @Post(':id/members')
  @HttpCode(200)
  addMembers(@Param('id', ParseUUIDPipe) id: string, @Body() body: MembersDto) {
    return this.clusters.addMembersTo(id, body.recommendationIds);
  }

  @Delete(':id/members/:recommendationId')
  removeMember(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('recommendationId', ParseUUIDPipe) recommendationId: string,
  ) {
    return this.clusters.removeMember(id, recommendationId);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.clusters.remove(id);
  }
}
