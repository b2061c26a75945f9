import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@nmirf/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  isCommentText,
  MAX_TEXT_LENGTH,
  MAX_MENTION_ID_LENGTH,
  MAX_MENTIONS,
  MENTION_KINDS,
  mentionShapeProblem,
  TEXT_RULE,
  type MentionKind,
} from './comment';

const rule = (name: string, test: (value: unknown, object: object) => boolean, text: string) =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => test(value, args?.object ?? {}),
      defaultMessage: (args?: ValidationArguments) => `${args?.property} ${text}`,
    },
  });

export class MentionDto {
  @ApiProperty({
    enum: MENTION_KINDS,
    description: '`user` (a focal point or validator), `institution`, or `coordinator` (the secretariat)',
  })
  @IsIn(MENTION_KINDS)
  kind: MentionKind;

  @ApiPropertyOptional({
    maxLength: MAX_MENTION_ID_LENGTH,
    description: 'The user id (token subject) or the institution’s directory id; left out for `coordinator`',
    example: 'Ministry of Justice',
  })
  @rule(
    'isMentionId',
    (_value, object) => {
      const mention = object as MentionDto;
      // The kind's own check reports an unknown kind; this one only the id.
      return (
        !(MENTION_KINDS as readonly string[]).includes(mention.kind) ||
        mentionShapeProblem(mention) === undefined
      );
    },
    `must be a user or institution id of 1 to ${MAX_MENTION_ID_LENGTH} characters, left out for the coordinator`,
  )
  id?: string;
}

export class PostCommentDto {
  @ApiProperty({ maxLength: MAX_TEXT_LENGTH, description: 'The comment; paragraphs allowed' })
  @rule('isCommentText', isCommentText, TEXT_RULE)
  text: string;

  @ApiPropertyOptional({
    type: [MentionDto],
    maxItems: MAX_MENTIONS,
    description:
      'Whom the comment names: each must see the action (the coordinator, the action’s institutions, their focal points and validators), or 422',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MENTIONS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MentionDto)
  mentions?: MentionDto[];
}

export class EditCommentDto {
  @ApiProperty({ maxLength: MAX_TEXT_LENGTH })
  @rule('isCommentText', isCommentText, TEXT_RULE)
  text: string;
}

export class ActionParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class CommentParams extends ActionParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  commentId: string;
}

export class CommentPageQuery extends PageQuery {}
