import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, ValidateNested } from 'class-validator';
import { CADENCES, MAIL_KINDS, type Cadence, type MailKind } from '../email/mail-kinds';

export class PreferenceItem {
  @ApiProperty({ enum: MAIL_KINDS, example: 'reminder' })
  @IsIn(MAIL_KINDS, { message: `kind must be one of ${MAIL_KINDS.join(', ')}` })
  kind: MailKind;

  @ApiProperty({
    enum: CADENCES,
    example: 'immediate',
    description: 'immediate, in the daily or weekly digest, or off (not for overdue and escalation)',
  })
  @IsIn(CADENCES, { message: `cadence must be one of ${CADENCES.join(', ')}` })
  cadence: Cadence;
}

export class PreferencesBody {
  @ApiProperty({ type: [PreferenceItem], description: 'The kinds to change; others keep their cadence' })
  @IsArray()
  @ArrayMaxSize(MAIL_KINDS.length)
  @ValidateNested({ each: true })
  @Type(() => PreferenceItem)
  preferences: PreferenceItem[];
}

export class PreferenceView extends PreferenceItem {
  @ApiProperty({ description: 'false for overdue and escalation, which always reach you' })
  canTurnOff: boolean;
}

export class PreferencesView {
  @ApiProperty({ type: [PreferenceView] })
  preferences: PreferenceView[];
}
