import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@nmirf/platform';
import { BulkPublicationDto, PublicationDto } from './publication.dto';
import { PublicationService } from './publication.service';

/** What anonymous readers see: the coordinator publishes recommendations, one or many at once. */
@ApiTags('recommendations')
@ApiBearerAuth()
@Roles('coordinator')
@Controller('recommendations')
export class PublicationController {
  constructor(private readonly publication: PublicationService) {}

  @Put(':id/publication')
  @ApiOperation({ summary: 'Publish the recommendation for anonymous readers, or withdraw it' })
  setOne(@Param('id', ParseUUIDPipe) id: string, @Body() body: PublicationDto) {
    return this.publication.setOne(id, body.published);
  }

  @Post('publication')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish or unpublish every recommendation a filter matches: listed ids, a document, a cycle…',
    description:
      'One transaction and one audit record. The filter’s fields combine (AND); listed `ids` must all exist ' +
      '(404 otherwise, nothing changes). An empty filter matches the whole catalogue. ' +
      'E.g. `{"published": true, "filter": {"documentSymbol": ["A/HRC/43/15"]}}`.',
  })
  setMany(@Body() body: BulkPublicationDto) {
    return this.publication.setMany(body.filter, body.published);
  }
}
