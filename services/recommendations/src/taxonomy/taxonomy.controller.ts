import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@nmirf/platform';
import { LangQuery, MechanismsQuery, SdgIndicatorsQuery, SdgTargetsQuery } from './taxonomy.dto';
import { TaxonomyService } from './taxonomy.service';

/** Read-only reference lists for pickers and filters, labelled in the requested UN language. */
@ApiTags('taxonomies')
@Public()
@Controller('taxonomies')
export class TaxonomyController {
  constructor(private readonly taxonomy: TaxonomyService) {}

  @Get('mechanisms')
  @ApiOperation({ summary: 'UPR, treaty bodies, Special Procedures, regional bodies, pledges and plans' })
  mechanisms(@Query() query: MechanismsQuery) {
    return this.taxonomy.mechanisms(query.lang ?? 'en', query.kind);
  }

  @Get('states')
  @ApiOperation({ summary: 'UN Member and observer States (ISO 3166 alpha-3 codes), with regional group' })
  states(@Query() query: LangQuery) {
    return this.taxonomy.states(query.lang ?? 'en');
  }

  @Get('regional-groups')
  @ApiOperation({ summary: 'The five UN regional groups' })
  regionalGroups(@Query() query: LangQuery) {
    return this.taxonomy.regionalGroups(query.lang ?? 'en');
  }

  @Get('themes')
  @ApiOperation({ summary: 'Human-rights themes (one key per concept across UPR cycles)' })
  themes(@Query() query: LangQuery) {
    return this.taxonomy.themes(query.lang ?? 'en');
  }

  @Get('groups')
  @ApiOperation({ summary: 'Affected persons and groups' })
  groups(@Query() query: LangQuery) {
    return this.taxonomy.groups(query.lang ?? 'en');
  }

  @Get('sdgs/goals')
  @ApiOperation({ summary: 'The 17 Sustainable Development Goals' })
  sdgGoals(@Query() query: LangQuery) {
    return this.taxonomy.sdgGoals(query.lang ?? 'en');
  }

  @Get('sdgs/targets')
  @ApiOperation({ summary: 'SDG targets, optionally of one goal' })
  sdgTargets(@Query() query: SdgTargetsQuery) {
    return this.taxonomy.sdgTargets(query.lang ?? 'en', query.goal);
  }

  @Get('sdgs/indicators')
  @ApiOperation({ summary: 'SDG indicators, optionally of one target' })
  sdgIndicators(@Query() query: SdgIndicatorsQuery) {
    return this.taxonomy.sdgIndicators(query.lang ?? 'en', query.target);
  }

  @Get('upr/cycles')
  @ApiOperation({ summary: 'UPR cycles with their Working Group sessions and years' })
  uprCycles(@Query() query: LangQuery) {
    return this.taxonomy.uprCycles(query.lang ?? 'en');
  }
}
