import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Allow, Caller, type Principal } from '@nmirf/platform';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';
import { WebhookSubscriptions } from './webhook-subscriptions';
import {
  CreateSubscriptionBody,
  DeliveriesQuery,
  DeliveryPageView,
  DeliveryView,
  EventTypesView,
  SubscriptionListView,
  SubscriptionView,
  SubscriptionWithSecretView,
  UpdateSubscriptionBody,
} from './webhooks.dto';

/** The scope a service account needs to subscribe: the events it reads are pushed to it. */
export const WEBHOOK_SCOPE = 'events:read';

/**
 * Webhook subscriptions: service accounts with the events:read scope manage their own; administrators
 * all of them. Deliveries are signed per the Standard Webhooks specification.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Allow({ roles: ['admin'], scopes: [WEBHOOK_SCOPE] })
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  @Get('event-types')
  @ApiOperation({ summary: 'The event types a subscription may choose from' })
  @ApiOkResponse({ type: EventTypesView })
  eventTypes(): EventTypesView {
    return { items: [...WEBHOOK_EVENT_TYPES] };
  }

  @Post('subscriptions')
  @ApiOperation({ summary: 'Subscribe a URL to event types; the answer carries the signing secret, once' })
  @ApiCreatedResponse({ type: SubscriptionWithSecretView })
  @ApiUnprocessableEntityResponse({
    description: 'The URL resolves to a refused address, or does not resolve',
  })
  async create(
    @Body() body: CreateSubscriptionBody,
    @Caller() caller: Principal,
  ): Promise<SubscriptionWithSecretView> {
    const { subscription, secret } = await this.subscriptions.create(body, caller);
    return { ...SubscriptionView.of(subscription), secret };
  }

  @Get('subscriptions')
  @ApiOperation({ summary: 'The caller’s subscriptions (an administrator: all)' })
  @ApiOkResponse({ type: SubscriptionListView })
  async list(@Caller() caller: Principal): Promise<SubscriptionListView> {
    return { items: (await this.subscriptions.list(caller)).map(SubscriptionView.of) };
  }

  @Get('subscriptions/:id')
  @ApiOperation({ summary: 'One subscription' })
  @ApiOkResponse({ type: SubscriptionView })
  @ApiNotFoundResponse({ description: 'No such subscription of the caller' })
  async get(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: Principal): Promise<SubscriptionView> {
    return SubscriptionView.of(await this.subscriptions.get(id, caller));
  }

  @Patch('subscriptions/:id')
  @ApiOperation({ summary: 'Change the URL, event types or description; enable or disable' })
  @ApiOkResponse({ type: SubscriptionView })
  @ApiNotFoundResponse({ description: 'No such subscription of the caller' })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateSubscriptionBody,
    @Caller() caller: Principal,
  ): Promise<SubscriptionView> {
    return SubscriptionView.of(await this.subscriptions.update(id, body, caller));
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a subscription and its deliveries' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such subscription of the caller' })
  async remove(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: Principal): Promise<void> {
    await this.subscriptions.remove(id, caller);
  }

  @Post('subscriptions/:id/secret/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new signing secret, shown once; the old one keeps signing beside it for WEBHOOK_SECRET_GRACE',
  })
  @ApiOkResponse({ type: SubscriptionWithSecretView })
  @ApiNotFoundResponse({ description: 'No such subscription of the caller' })
  async rotate(
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: Principal,
  ): Promise<SubscriptionWithSecretView> {
    const { subscription, secret } = await this.subscriptions.rotateSecret(id, caller);
    return { ...SubscriptionView.of(subscription), secret };
  }

  @Get('subscriptions/:id/deliveries')
  @ApiOperation({ summary: 'The subscription’s deliveries, newest first' })
  @ApiOkResponse({ type: DeliveryPageView })
  @ApiNotFoundResponse({ description: 'No such subscription of the caller' })
  async deliveries(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DeliveriesQuery,
    @Caller() caller: Principal,
  ): Promise<DeliveryPageView> {
    const { items, total } = await this.subscriptions.deliveries(id, query, caller);
    return { items: items.map(DeliveryView.of), total };
  }

  @Post('subscriptions/:id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again now, with the same webhook-id' })
  @ApiOkResponse({ type: DeliveryView })
  @ApiNotFoundResponse({ description: 'No such subscription of the caller, or no such delivery' })
  @ApiConflictResponse({ description: 'The subscription is disabled' })
  async replay(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
    @Caller() caller: Principal,
  ): Promise<DeliveryView> {
    return DeliveryView.of(await this.subscriptions.replay(id, deliveryId, caller));
  }
}
