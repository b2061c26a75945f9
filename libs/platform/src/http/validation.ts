import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { RejectUnsafeTextPipe } from './strings';

export interface FieldError {
  field: string;
  messages: string[];
}

/** A field name is the caller's input ("property … should not exist"): a long one is not echoed whole. */
const MAX_FIELD_NAME = 100;
const clipName = (name: string) =>
  name.length > MAX_FIELD_NAME ? `${name.slice(0, MAX_FIELD_NAME)}…` : name;

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const property = clipName(error.property);
    const field = parent ? `${parent}.${property}` : property;
    const messages = Object.values(error.constraints ?? {}).map((message) =>
      property === error.property ? message : message.split(error.property).join(property),
    );
    const own = error.constraints ? [{ field, messages }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Field names the whitelist cannot see: class-validator looks each name up in a plain object, where
 * `constructor`, `__proto__` or `hasOwnProperty` always exist, and class-transformer drops
 * `prototype`. No DTO has such a field.
 */
const isReservedName = (name: string) => name === 'prototype' || name in Object.prototype;

function reservedFields(value: unknown, path = '', depth = 0): FieldError[] {
  if (typeof value !== 'object' || value === null || depth > 32) return [];
  return Object.keys(value).flatMap((key) => {
    const field = path ? `${path}.${clipName(key)}` : clipName(key);
    if (isReservedName(key)) return [{ field, messages: [`property ${clipName(key)} should not exist`] }];
    return reservedFields((value as Record<string, unknown>)[key], field, depth + 1);
  });
}

/**
 * NUL and unpaired surrogates are refused in every string first, whatever the DTO declares, and so
 * are bodies and queries with reserved field names.
 */
class StrictValidationPipe extends ValidationPipe {
  private readonly unsafeText = new RejectUnsafeTextPipe();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const errors = reservedFields(value);
      if (errors.length > 0)
        throw new BadRequestException({ error: 'Bad Request', message: 'Validation failed', errors });
    }
    return super.transform(this.unsafeText.transform(value, metadata), metadata);
  }
}

/** Rejects unknown and invalid fields with a 400 that lists each field and what is wrong with it. */
export function strictValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({
        error: 'Bad Request',
        message: 'Validation failed',
        errors: flatten(errors),
      }),
  });
}
