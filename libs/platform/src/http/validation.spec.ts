import { BadRequestException } from '@nestjs/common';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { strictValidationPipe } from './validation';

class DecisionDto {
  @IsIn(['confirmed', 'rejected'])
  decision: string;

  @IsOptional()
  @IsString()
  note?: string;
}

describe('strictValidationPipe', () => {
  const pipe = strictValidationPipe();
  const validate = (value: unknown, type: 'body' | 'query' = 'body') =>
    pipe.transform(value, { type, metatype: DecisionDto });
  const refusal = async (value: unknown, type: 'body' | 'query' = 'body') => {
    const error = await validate(value, type).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as {
      errors: Array<{ field: string; messages: string[] }>;
    };
  };

  it('accepts a valid body', async () => {
    await expect(validate({ decision: 'confirmed', note: 'Checked' })).resolves.toMatchObject({
      decision: 'confirmed',
    });
  });

  it('refuses an unknown field', async () => {
    expect((await refusal({ decision: 'confirmed', other: 1 })).errors[0].field).toBe('other');
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype'])(
    'refuses the field name %s, which the whitelist alone lets through',
    async (name) => {
      const body = JSON.parse(`{"decision":"confirmed",${JSON.stringify(name)}:{"polluted":true}}`);
      expect((await refusal(body)).errors).toEqual([
        { field: name, messages: [`property ${name} should not exist`] },
      ]);
      expect((await refusal({ decision: 'confirmed', [name]: '1' }, 'query')).errors[0].field).toBe(name);
    },
  );

  it('refuses a reserved name nested in a field, naming its path', async () => {
    const body = JSON.parse('{"decision":"confirmed","note":{"inner":{"constructor":1}}}');
    expect((await refusal(body)).errors).toEqual([
      { field: 'note.inner.constructor', messages: ['property constructor should not exist'] },
    ]);
  });
});
