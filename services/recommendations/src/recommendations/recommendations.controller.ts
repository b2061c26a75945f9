import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateRecommendationDto, ListRecommendationsQuery } from './recommendations.dto';
import { RecommendationsService } from './recommendations.service';

@ApiTags('recommendations')
@Controller('recommendations')
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Post()
  @ApiOperation({ summary: 'Enter a recommendation received from a mechanism' })
  create(@Body() body: CreateRecommendationDto) {
    return this.recommendations.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List recommendations, by mechanism or document' })
  list(@Query() query: ListRecommendationsQuery) {
    return this.recommendations.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.recommendations.get(id);
  }
}
