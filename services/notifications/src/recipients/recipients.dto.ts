import { ApiProperty } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsString,
  MaxLength,
  Validate,
  ValidatorConstraint,
} from 'class-validator';
import type { ValidatorConstraintInterface } from 'class-validator';
import { isTimeZone, LANGUAGES, type Language } from './languages';

@ValidatorConstraint({ name: 'timeZone' })
class IanaTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isTimeZone(value);
  }

  defaultMessage(): string {
    return 'timeZone must be an IANA time zone such as Europe/Paris or UTC';
  }
}

/** How to write to a person: what they or a coordinator may set. */
export class ProfileBody {
  @ApiProperty({ example: 'focal.point@justice.example', format: 'email' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: LANGUAGES, example: 'fr', description: 'The language mails are written in' })
  @IsIn(LANGUAGES, { message: `language must be one of ${LANGUAGES.join(', ')}` })
  language: Language;

  @ApiProperty({
    example: 'Europe/Paris',
    description: 'IANA time zone for dates in mails and the digest hour',
  })
  @IsString()
  @Validate(IanaTimeZone)
  timeZone: string;
}

export class SubjectParams {
  @ApiProperty({ example: '5d3c1a52-8f2e-4f1b-9a55-0b7cf26e9b1d', description: 'The person’s token subject' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  subject: string;
}

export class ProfileView {
  @ApiProperty({ example: '5d3c1a52-8f2e-4f1b-9a55-0b7cf26e9b1d' })
  subject: string;

  @ApiProperty({ type: String, nullable: true, example: 'focal.point@justice.example' })
  email: string | null;

  @ApiProperty({ enum: LANGUAGES })
  language: Language;

  @ApiProperty({ example: 'Europe/Paris' })
  timeZone: string;

  @ApiProperty({
    enum: ['token', 'user', 'provisioned'],
    description: 'Who set it last: the sign-in token, the person, or a coordinator',
  })
  source: 'token' | 'user' | 'provisioned';
}
