import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@nmirf/platform';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import type { WebhookDelivery } from './webhook-delivery.entity';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';
import type { WebhookSubscription } from './webhook-subscription.entity';

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class CreateSubscriptionBody {
  @ApiProperty({
    example: 'https://hooks.example.org/nmirf',
    maxLength: 2000,
    description:
      'Where deliveries are POSTed. Refused when it resolves to a loopback, private, link-local, multicast or reserved address, unless allowed by WEBHOOK_ALLOWED_HOSTS / WEBHOOK_ALLOWED_CIDRS.',
  })
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_OPTIONS, { message: 'url must be an absolute http or https URL' })
  url: string;

  @ApiProperty({
    type: [String],
    enum: WEBHOOK_EVENT_TYPES,
    example: ['ActionAssigned'],
    description: 'Event types from GET /webhooks/event-types',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, {
    each: true,
    message: 'each event type must be one of GET /webhooks/event-types',
  })
  eventTypes: string[];

  @ApiPropertyOptional({ example: 'Parliament tracker', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateSubscriptionBody {
  @ApiPropertyOptional({ example: 'https://hooks.example.org/nmirf', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_OPTIONS, { message: 'url must be an absolute http or https URL' })
  url?: string;

  @ApiPropertyOptional({ type: [String], enum: WEBHOOK_EVENT_TYPES, example: ['ActionAssigned'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, {
    each: true,
    message: 'each event type must be one of GET /webhooks/event-types',
  })
  eventTypes?: string[];

  @ApiPropertyOptional({ example: 'Parliament tracker', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'true re-enables a disabled subscription; false disables it' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'succeeded', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'succeeded', 'failed'])
  status?: 'pending' | 'succeeded' | 'failed';
}

export class SubscriptionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'The service account that owns it (token subject)' })
  ownerSubject: string;

  @ApiProperty()
  url: string;

  @ApiProperty({ type: [String] })
  eventTypes: string[];

  @ApiProperty()
  description: string;

  @ApiProperty({ enum: ['active', 'disabled'] })
  status: 'active' | 'disabled';

  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled' })
  disabledReason: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the key before the last rotation still signs',
  })
  previousSecretExpiresAt: Date | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  static of(subscription: WebhookSubscription): SubscriptionView {
    return {
      id: subscription.id,
      ownerSubject: subscription.ownerSubject,
      url: subscription.url,
      eventTypes: subscription.eventTypes,
      description: subscription.description,
      status: subscription.status,
      disabledReason: subscription.disabledReason,
      previousSecretExpiresAt: subscription.previousKeyExpiresAt,
      createdAt: subscription.createdAt,
      updatedAt: subscription.updatedAt,
    };
  }
}

export class SubscriptionWithSecretView extends SubscriptionView {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks format). Shown only in this answer: store it now.',
  })
  secret: string;
}

export class SubscriptionListView {
  @ApiProperty({ type: [SubscriptionView] })
  items: SubscriptionView[];
}

export class DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header, the same on every attempt' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  eventId: string;

  @ApiProperty({ example: 'ActionAssigned' })
  eventType: string;

  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] })
  status: string;

  @ApiProperty({ description: 'Attempts made, replays included' })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt: Date | null;

  @ApiProperty({ type: Number, nullable: true })
  lastStatusCode: number | null;

  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  static of(delivery: WebhookDelivery): DeliveryView {
    const {
      id,
      eventId,
      eventType,
      status,
      attempts,
      nextAttemptAt,
      lastAttemptAt,
      lastStatusCode,
      lastError,
      createdAt,
    } = delivery;
    return {
      id,
      eventId,
      eventType,
      status,
      attempts,
      nextAttemptAt,
      lastAttemptAt,
      lastStatusCode,
      lastError,
      createdAt,
    };
  }
}

export class DeliveryPageView {
  @ApiProperty({ type: [DeliveryView] })
  items: DeliveryView[];

  @ApiProperty()
  total: number;
}

export class EventTypesView {
  @ApiProperty({ type: [String], example: ['ActionAssigned', 'ActionEscalated'] })
  items: string[];
}
