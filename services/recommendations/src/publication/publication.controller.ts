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
    summary:
      'Publish or unpublish every recommendation the criteria select: listed ids, a document, a cycle…',
    description:
      'One transaction and one audit record. The criteria combine (AND); listed `ids` must all exist ' +
      '(404 otherwise, nothing changes). No criterion selects nothing, unless `all` is true (the whole catalogue). ' +
      'E.g. `{"published": true, "documentSymbol": ["A/HRC/43/15"]}`.',
  })
  setMany(@Body() body: BulkPublicationDto) {
    const { published, all, ...filter } = body;
    return this.publication.setMany(filter, published, all ?? false);
  }
}
