import { ApiProperty } from '@nestjs/swagger';

export class SentReminderView {
  @ApiProperty({ enum: ['reminder', 'escalation'] })
  kind: 'reminder' | 'escalation';

  @ApiProperty({ description: 'Seconds before the due date; negative for the escalation after it' })
  offsetSeconds: number;

  @ApiProperty({ type: String, format: 'date-time', description: 'The due date it was sent for' })
  dueAt: Date;

  @ApiProperty({ format: 'uuid' })
  notificationId: string;

  @ApiProperty({ type: String, format: 'date-time' })
  sentAt: Date;
}

export class DeadlineView {
  @ApiProperty({ format: 'uuid' })
  actionId: string;

  @ApiProperty({ example: 'Ministry of Justice' })
  institution: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt: Date;

  @ApiProperty({ description: 'False once the action is completed or cancelled' })
  open: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;

  @ApiProperty({ type: [SentReminderView], description: 'For every due date the action has had' })
  remindersSent: SentReminderView[];
}
