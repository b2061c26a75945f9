import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsBoundedInt } from './numbers';

/** The deepest page a list serves: further than anyone pages by hand, and cheap for PostgreSQL. */
export const MAX_OFFSET = 1_000_000;

/** `?limit=&offset=` for every list endpoint; list queries extend it. */
export class PageQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: 500 })
  limit = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @IsBoundedInt({ min: 0, max: MAX_OFFSET })
  offset = 0;
}
