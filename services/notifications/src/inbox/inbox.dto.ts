import { IsNameOrTitle, PageQuery } from '@nmirf/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_SUBJECT_KINDS,
  type NotificationKind,
  type NotificationParams,
  type NotificationSubjectKind,
} from './notification-kind';

export class InstitutionParams {
  @ApiProperty({ example: 'Ministry of Justice' })
  @IsString()
  @IsNotEmpty()
  @IsNameOrTitle()
  @MaxLength(200)
  institution: string;
}

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'true: unread only; false: read only; absent: all' })
  @IsOptional()
  // A query string is text: "false" must not become true.
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

/** How a notification went out to one person over one channel. */
export class DeliveryView {
  @ApiProperty({ enum: ['email'] })
  channel: 'email';

  @ApiProperty({ description: 'The person’s token subject' })
  recipient: string;

  @ApiProperty({
    enum: ['pending', 'sent', 'failed'],
    description: 'failed: refused for good (a 5xx from the mail server, no address) or out of attempts',
  })
  status: 'pending' | 'sent' | 'failed';

  @ApiProperty({ description: 'Attempts made so far' })
  attempts: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The last refusal or error, e.g. the mail server’s reply',
  })
  lastError: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: Date | null;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Ministry of Justice' })
  institution: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind: NotificationKind;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Set when the subject is an action',
  })
  actionId: string | null;

  @ApiProperty({ enum: NOTIFICATION_SUBJECT_KINDS, description: 'What the notification is about' })
  subjectKind: NotificationSubjectKind;

  @ApiProperty({ format: 'uuid', description: 'The action, reporting deadline or indicator' })
  subjectId: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Data the UI renders in the reader’s language, by kind: title, dueAt, previousDueAt, offsetSeconds, institution…',
    example: {
      title: 'Ratify the Convention on Enforced Disappearance',
      dueAt: '2026-03-01T00:00:00.000Z',
      offsetSeconds: 259200,
    },
  })
  params: NotificationParams;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The event it came from, if any',
  })
  sourceEventId: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The one person of the institution it is addressed to (a mention of them); null: the whole inbox',
  })
  recipientUserId: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: Date | null;

  @ApiProperty({ type: [DeliveryView], description: 'How it went out, per person and channel (email)' })
  deliveries: DeliveryView[];
}

export class InboxPageView {
  @ApiProperty({ type: [NotificationView], description: 'Newest first' })
  items: NotificationView[];

  @ApiProperty({ description: 'Notifications matching the filter' })
  total: number;

  @ApiProperty({ description: 'Unread notifications in the whole inbox' })
  unread: number;
}
