import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
  type HttpException,
} from '@nestjs/common';
import type { Principal } from '@nmirf/platform';
import type { Actor, Refusal, WorkflowRole } from '../workflow';

/** The token as the workflow sees it; a machine client is `service` and moves nothing. */
export function actorOf(principal: Principal): Actor {
  const roles: WorkflowRole[] = [...principal.roles];
  if (principal.kind === 'service') roles.push('service');
  return { roles, institutions: principal.institutions };
}

const MESSAGES: Record<Refusal, string> = {
  forbidden: 'You may not do this to this action',
  reason_required: 'reason must not be blank',
  comments_required: 'comments must not be blank',
  invalid_assignment: 'An assignment needs a lead institution and distinct supporting institutions',
  invalid_transition: 'The action’s status does not allow this',
  unchanged: 'The action is already assigned to these institutions',
  final_by_lead_only: 'Only the lead institution may mark its report final',
};

/**
 * The workflow's refusal as HTTP (workflow/README.md). `seesAction`: whether the caller may read the
 * action at all; if not, a refusal is 404, so another institution learns nothing of it.
 */
export function refusalToHttp(
  code: Refusal,
  actionId: string,
  seesAction: boolean,
  status?: string,
): HttpException {
  if (!seesAction) return new NotFoundException(`Action ${actionId} not found`);
  const message = MESSAGES[code];
  switch (code) {
    case 'forbidden':
      return new ForbiddenException(message);
    case 'reason_required':
    case 'comments_required':
    case 'invalid_assignment':
      return new BadRequestException({ message, code });
    default:
      return new ConflictException({
        message: status ? `${message} (the action is ${status.replace('_', ' ')})` : message,
        code,
      });
  }
}
