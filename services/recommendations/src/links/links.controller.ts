import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, Caller, type Principal } from '@nmirf/platform';
import { DetectLinksDto, LinkDecisionDto, LinksQuery, ManualLinkDto } from './links.dto';
import { LinksService } from './links.service';

@ApiTags('links')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('links')
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Get()
  @Roles('coordinator', 'focal_point', 'institution_validator', 'nhri', 'civil_society')
  @ApiOperation({ summary: 'Candidate and decided links, highest score first, with why they match' })
  list(@Query() query: LinksQuery) {
    return this.links.list(query);
  }

  @Post()
  @ApiOperation({ summary: 'Link two recommendations by hand (confirmed at once)' })
  linkByHand(@Body() body: ManualLinkDto, @Caller() caller?: Principal) {
    return this.links.linkByHand(body.a, body.b, caller?.subject, body.note);
  }

  @Post('detect')
  @HttpCode(200)
  @ApiOperation({
    summary: "Detect candidates among a State's recommendations (imports do this by themselves)",
  })
  detect(@Body() body: DetectLinksDto) {
    return this.links.detect(body.state.toUpperCase());
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm or reject a candidate; the decision survives re-imports and re-detection',
  })
  decide(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: LinkDecisionDto,
    @Caller() caller?: Principal,
  ) {
    return this.links.decide(id, body.decision, caller?.subject, body.note);
  }
}
