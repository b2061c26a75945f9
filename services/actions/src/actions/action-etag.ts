import { HttpException, HttpStatus } from '@nestjs/common';
import { ifMatch } from '@nmirf/platform';
import type { Precondition } from './actions.service';

/** A strong ETag, `"<version>"`: the version counts every change of the action. */
export const etagOf = (action: { version: number }) => `"${action.version}"`;

/** The If-Match test every change of an action needs: 428 without the header. */
export function requireIfMatch(header: string | undefined): Precondition {
  const precondition = ifMatch(header);
  if (!precondition)
    throw new HttpException(
      { error: 'Precondition Required', message: 'Send If-Match with the ETag of the action as you read it' },
      HttpStatus.PRECONDITION_REQUIRED,
    );
  return precondition;
}
