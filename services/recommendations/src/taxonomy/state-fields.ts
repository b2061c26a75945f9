import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator';
import { resolveState, STATES } from './states';

const CODES = STATES.map((state) => state.iso3);

/** A State's name or code as its ISO 3166 alpha-3 code; anything unknown is left for the validator. */
export function toStateCode(value: unknown): unknown {
  return typeof value === 'string' ? (resolveState(value)?.iso3 ?? value) : value;
}

/** A State's name or code as its UN name, the form recommending States are stored in; unknown names stay. */
export function toStateName(value: unknown): unknown {
  return typeof value === 'string' ? (resolveState(value)?.name ?? value) : value;
}

/**
 * A State under review, or a State filter: the State's name or its ISO 3166 alpha-3 code (any case),
 * turned into the code; a State the taxonomy does not know is a 400.
 */
export function IsStateCode(options: { each?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) =>
      options.each && Array.isArray(value) ? value.map(toStateCode) : toStateCode(value),
    ),
    IsIn(CODES, {
      each: options.each,
      message: ({ property }) =>
        `${property} must be a UN Member or observer State: its name or ISO 3166 alpha-3 code, such as SVN`,
    }),
  );
}
