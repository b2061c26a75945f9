import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@nmirf/platform';
import { BulkPublicationDto, PublicationDto, PublicationFilterDto } from './publication.dto';
import { PublicationService } from './publication.service';

const FILTER_FIELDS: (keyof PublicationFilterDto)[] = [
  'documentSymbol',
  'mechanism',
  'body',
  'cycle',
  'session',
  'state',
  'type',
  'cluster',
];

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
    summary: 'Publish or unpublish many recommendations: listed ids, or every match of a filter',
    description:
      'One transaction and one audit record. Listed ids must all exist (404 otherwise, nothing changes). ' +
      'A filter needs at least one field, e.g. `{"documentSymbol": ["A/HRC/43/15"]}`.',
  })
  setMany(@Body() body: BulkPublicationDto) {
    // null reads as absent, as @IsOptional lets it through.
    if ((body.ids == null) === (body.filter == null))
      throw new BadRequestException({
        error: 'Bad Request',
        message: 'Give either ids or filter',
        errors: [{ field: 'ids', messages: ['give either ids or filter, not both'] }],
      });
    if (body.filter) {
      const filter = body.filter;
      if (!FILTER_FIELDS.some((field) => filter[field] !== undefined))
        throw new BadRequestException({
          error: 'Bad Request',
          message: 'The filter needs at least one field',
          errors: [{ field: 'filter', messages: [`filter needs one of ${FILTER_FIELDS.join(', ')}`] }],
        });
      return this.publication.setMany({ filter }, body.published);
    }
    return this.publication.setMany({ ids: body.ids ?? [] }, body.published);
  }
}
