import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { AuthenticatedRequest } from '@nmirf/platform';
import { from, switchMap, type Observable } from 'rxjs';
import { RecipientsService } from './recipients.service';

/**
 * Every signed-in call to notifications refreshes the caller's profile from the token's standard
 * claims, so focal points are reachable by mail from their first visit. A failure here never fails
 * the call: the profile is refreshed at the next one.
 */
@Injectable()
export class TokenProfileInterceptor implements NestInterceptor {
  private readonly logger = new Logger(TokenProfileInterceptor.name);

  constructor(private readonly recipients: RecipientsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) return next.handle();
    return from(
      this.recipients
        .rememberToken(principal)
        .catch((error: Error) =>
          this.logger.warn({ msg: 'profile not refreshed from the token', error: error.message }),
        ),
    ).pipe(switchMap(() => next.handle()));
  }
}
