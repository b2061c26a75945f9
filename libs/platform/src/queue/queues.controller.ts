import {
  Controller,
  ConflictException,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Queue } from 'bullmq';
import { IsIn, IsOptional } from 'class-validator';
import type IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { recordAudit } from '../audit/audit-trail';
import { Roles } from '../auth/policy';
import { CONFIG, type PlatformConfig } from '../config/load-config';
import { IsBoundedInt } from '../http/numbers';
import { REDIS } from '../platform-tokens';
import { knownQueues, queueHandle, redisAnswerWithin } from './job-queue';

const STATES = ['waiting', 'delayed', 'active', 'failed', 'completed'] as const;
type JobState = (typeof STATES)[number];

export class QueueView {
  @ApiProperty({ example: 'deadlines' })
  name: string;

  @ApiProperty({ example: { waiting: 0, delayed: 12, active: 0, failed: 1, completed: 40 } })
  counts: Record<JobState, number>;
}

export class JobView {
  @ApiProperty()
  id: string;

  @ApiProperty({ example: 'deadline-reminder' })
  name: string;

  @ApiProperty({ enum: STATES })
  state: JobState;

  @ApiProperty({ description: 'Ids and dates only: jobs carry no personal data' })
  data: Record<string, unknown>;

  @ApiProperty()
  attemptsMade: number;

  @ApiPropertyOptional({ description: 'Why the last attempt failed' })
  failedReason?: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When a delayed job runs' })
  runsAt?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  finishedAt?: string;
}

export class JobsQuery {
  @ApiPropertyOptional({ enum: STATES, default: 'failed' })
  @IsOptional()
  @IsIn(STATES)
  state?: JobState;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @IsBoundedInt({ min: 1, max: 200 })
  limit?: number;
}

/**
 * The queue view for administrators: each BullMQ queue of this service with its counts, its jobs
 * by state, and retrying a failed job (audited). Jobs are derived from PostgreSQL, so a job lost or
 * removed here comes back with the next reconciliation.
 */
@ApiTags('queues')
@Roles('admin')
@Controller('admin/queues')
export class QueuesController {
  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(CONFIG) private readonly config: PlatformConfig,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: "This service's job queues and their counts" })
  @ApiOkResponse({ type: [QueueView] })
  async list(): Promise<QueueView[]> {
    return Promise.all(
      [...knownQueues()].sort().map(async (name) => ({
        name,
        counts: (await redisAnswerWithin(this.queue(name).getJobCounts(...STATES))) as Record<
          JobState,
          number
        >,
      })),
    );
  }

  @Get(':queue/jobs')
  @ApiOperation({ summary: 'Jobs of a queue in one state (failed by default), newest first' })
  @ApiOkResponse({ type: [JobView] })
  async jobs(@Param('queue') name: string, @Query() query: JobsQuery): Promise<JobView[]> {
    const state = query.state ?? 'failed';
    const jobs = await redisAnswerWithin(this.queue(name).getJobs([state], 0, (query.limit ?? 50) - 1));
    return jobs.filter(Boolean).map((job) => ({
      id: String(job.id),
      name: job.name,
      state,
      data: job.data as Record<string, unknown>,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason || undefined,
      createdAt: new Date(job.timestamp).toISOString(),
      runsAt: job.delay ? new Date(job.timestamp + job.delay).toISOString() : undefined,
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
    }));
  }

  @Post(':queue/jobs/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a failed job again; 409 when the job has not failed' })
  async retry(@Param('queue') name: string, @Param('id') id: string): Promise<{ id: string; state: string }> {
    const job = await redisAnswerWithin(this.queue(name).getJob(id));
    if (!job) throw new NotFoundException(`No job ${id} in queue ${name}`);
    const state = await redisAnswerWithin(job.getState());
    if (state !== 'failed') throw new ConflictException(`Job ${id} is ${state}, not failed`);
    await redisAnswerWithin(job.retry('failed'));
    await this.dataSource.transaction((manager) =>
      recordAudit(manager, {
        entity: 'queue_job',
        entityId: `${name}/${id}`,
        action: 'job.retried',
        after: { queue: name, job: id, name: job.name, attemptsMade: job.attemptsMade },
      }),
    );
    return { id, state: 'waiting' };
  }

  private queue(name: string): Queue {
    if (!knownQueues().has(name)) throw new NotFoundException(`No queue ${name} in this service`);
    return queueHandle(name, this.redis, this.config.QUEUE_PREFIX);
  }
}
