import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/policy';
import { withinTime } from '../time';

export interface HealthCheck {
  name: string;
  check(): Promise<boolean>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

@ApiTags('health')
@Public() // probes carry no token
@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'Database, Redis and Kafka answer; 503 with the failing ones otherwise' })
  async ready() {
    const results = await Promise.all(
      this.checks.map(
        async ({ name, check }) => [name, await withinTime(check(), 2_500, name).catch(() => false)] as const,
      ),
    );
    const details = Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'up' : 'down']));
    if (results.some(([, ok]) => !ok)) {
      throw new ServiceUnavailableException({
        error: 'Service Unavailable',
        message: 'Not ready',
        errors: details,
      });
    }
    return { status: 'ok', details };
  }
}
