import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { LANGS, type Lang } from './labels';
import { MECHANISM_KINDS, type MechanismKind } from './mechanisms';

export class LangQuery {
  @ApiPropertyOptional({ enum: LANGS, default: 'en', description: 'One of the six UN languages' })
  @IsOptional()
  @IsIn(LANGS, { message: `lang must be one of ${LANGS.join(', ')}` })
  lang: Lang = 'en';
}

export class MechanismsQuery extends LangQuery {
  @ApiPropertyOptional({ enum: MECHANISM_KINDS })
  @IsOptional()
  @IsIn(MECHANISM_KINDS)
  kind?: MechanismKind;
}

export class SdgTargetsQuery extends LangQuery {
  @ApiPropertyOptional({ example: '16', description: 'Only the targets of this goal' })
  @IsOptional()
  @Matches(/^([1-9]|1[0-7])$/, { message: 'goal must be a number from 1 to 17' })
  goal?: string;
}

export class SdgIndicatorsQuery extends LangQuery {
  @ApiPropertyOptional({ example: '16.3', description: 'Only the indicators of this target' })
  @IsOptional()
  @Matches(/^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])$/, { message: 'target must look like 16.3 or 16.a' })
  target?: string;
}
