import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { RejectUnsafeTextPipe } from './strings';

export interface FieldError {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** NUL and unpaired surrogates are refused in every string first, whatever the DTO declares. */
class StrictValidationPipe extends ValidationPipe {
  private readonly unsafeText = new RejectUnsafeTextPipe();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
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
