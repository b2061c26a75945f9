import { LoggerService } from '@nestjs/common';
import { currentContext } from './correlation';
import { redactPersonalData } from './redact';
import { activeTraceIds } from './tracing';

type Level = 'debug' | 'info' | 'warn' | 'error';
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * One JSON object per line on stdout, with the correlation id of the work in progress.
 * Messages must not carry personal data: log ids, never names, emails or free text from users.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly minLevel: Level = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(level: Level, message: unknown, rest: unknown[]): void {
    if (rank[level] < rank[this.minLevel]) return;
    // Nest passes the context (class name) last, and for errors a stack before it.
    const args = [...rest];
    const context = typeof args[args.length - 1] === 'string' ? (args.pop() as string) : undefined;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      context,
      correlationId: currentContext()?.correlationId,
      ...activeTraceIds(),
    };
    if (message instanceof Error) {
      entry.msg = message.message;
      entry.err = { name: message.name, stack: message.stack };
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry.msg = String(message);
    }
    const detail = args.find((arg) => typeof arg === 'string' || arg instanceof Error);
    if (detail instanceof Error)
      entry.err = { name: detail.name, message: detail.message, stack: detail.stack };
    else if (typeof detail === 'string') entry.stack = detail;
    this.write(
      JSON.stringify(entry, (_, value) => (typeof value === 'string' ? redactPersonalData(value) : value)) +
        '\n',
    );
  }
}
