import {
  applyDecorators,
  BadRequestException,
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { ValidateBy, type ValidationArguments } from 'class-validator';
import type { FieldError } from './validation';

// A UTF-16 surrogate without its partner: JSON's "\ud800" escape makes one; it is no character, and
// encodes to nothing PostgreSQL or a CSV reader can take.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');
// PostgreSQL refuses NUL in text (error 22021).
const NUL = '\u0000';
// C0 and C1 controls (tab and line breaks included), DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** Why a string cannot be stored, or undefined when it can. */
export function unsafeTextProblem(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/** How deep `findUnsafeText` looks; the JSON parser already refuses bodies nested deeper than 32. */
export const UNSAFE_TEXT_MAX_DEPTH = 64;

// Keys are the caller's input: a path quotes at most this much of each.
const MAX_KEY_SHOWN = 100;
const shownKey = (key: string) => (key.length > MAX_KEY_SHOWN ? `${key.slice(0, MAX_KEY_SHOWN)}…` : key);

const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * Every string (values and keys) of a parsed body, query or form that cannot be stored, by field
 * path (`recommendationIds.3`). Only plain objects and arrays are walked; a value nested deeper than
 * `maxDepth` is reported as such rather than walked.
 */
export function findUnsafeText(value: unknown, path = '', maxDepth = UNSAFE_TEXT_MAX_DEPTH): FieldError[] {
  const found: FieldError[] = [];
  const visit = (current: unknown, at: string, depth: number): void => {
    if (typeof current === 'string') {
      const problem = unsafeTextProblem(current);
      if (problem) found.push({ field: at || '(value)', messages: [`${at || 'value'} ${problem}`] });
      return;
    }
    if (typeof current !== 'object' || current === null) return;
    if (!Array.isArray(current) && !isPlainObject(current)) return;
    if (depth >= maxDepth) {
      found.push({ field: at || '(value)', messages: [`${at || 'value'} is nested too deeply`] });
      return;
    }
    for (const [key, item] of Object.entries(current)) {
      const keyProblem = unsafeTextProblem(key);
      // The key itself is not echoed: it is what is wrong.
      if (keyProblem) found.push({ field: at || '(value)', messages: [`a field name ${keyProblem}`] });
      else visit(item, at ? `${at}.${shownKey(key)}` : shownKey(key), depth + 1);
    }
  };
  visit(value, path, 0);
  return found;
}

/**
 * Runs before validation on every body, query, route parameter and upload's metadata: a NUL or an
 * unpaired surrogate in any string is a 400 naming the field, whatever the DTO says, so it never
 * reaches PostgreSQL as an error 22021 (a 500).
 */
@Injectable()
export class RejectUnsafeTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const path = metadata.type === 'param' || metadata.type === 'custom' ? (metadata.data ?? '') : '';
    const errors = findUnsafeText(value, path);
    if (errors.length > 0) {
      throw new BadRequestException({ error: 'Bad Request', message: 'Validation failed', errors });
    }
    return value;
  }
}

/** A name or title: some visible text, on one line, without control characters. */
export function isNameOrTitle(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.trim() !== '' &&
    !CONTROL.test(value) &&
    unsafeTextProblem(value) === undefined
  );
}

/**
 * For names and titles (an action's title, an institution, a cluster's name): refuses text that is
 * blank or only whitespace, and text with control characters (tabs, line breaks, NUL, escape codes).
 * Use next to `@IsString()` and `@MaxLength()`.
 */
export function IsNameOrTitle(options: { each?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    ValidateBy(
      {
        name: 'isNameOrTitle',
        validator: {
          validate: (value: unknown) => isNameOrTitle(value),
          defaultMessage: (args?: ValidationArguments) =>
            `${options.each ? 'each value in ' : ''}${args?.property} must not be blank or contain control characters (tabs, line breaks)`,
        },
      },
      { each: options.each },
    ),
  );
}
