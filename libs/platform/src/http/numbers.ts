import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';

/** PostgreSQL `smallint` and `integer`: a value beyond them is an error 22003 (a 500), not a miss. */
export const SMALLINT_MAX = 32_767;
export const INT4_MAX = 2_147_483_647;

const DIGITS = /^[+-]?\d{1,20}$/;

/**
 * A query or form value as an integer when it is written as one ("34", "-1"); anything else ("1e20",
 * "0x10", "", "3.5") is left as sent, for the validator to refuse by name. Numbers pass unchanged.
 */
export function parseInteger(value: unknown): unknown {
  return typeof value === 'string' && DIGITS.test(value) ? Number(value) : value;
}

/** Integers written as digits, from `?n=1&n=2` or `?n=1,2`. */
export function parseIntegerList({ value }: { value: unknown }): unknown[] {
  return (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(parseInteger);
}

export interface BoundedIntOptions {
  min: number;
  max: number;
  /** The field is an array and every element must be such an integer. */
  each?: boolean;
}

/**
 * An integer between `min` and `max` (choose bounds that fit the column: `INT4_MAX`, `SMALLINT_MAX`),
 * and a safe one: `9007199254740993` is refused, not rounded. Query strings are converted first.
 */
export function IsBoundedInt(options: BoundedIntOptions): PropertyDecorator {
  const { min, max, each } = options;
  return applyDecorators(
    Transform(({ value }) => (each && Array.isArray(value) ? value.map(parseInteger) : parseInteger(value))),
    ValidateBy(
      {
        name: 'isBoundedInt',
        constraints: [min, max],
        validator: {
          validate: (value: unknown) =>
            typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
          defaultMessage: (args?: ValidationArguments) =>
            `${each ? 'each value in ' : ''}${args?.property} must be a whole number from ${min} to ${max}`,
        },
      },
      { each },
    ),
  );
}
