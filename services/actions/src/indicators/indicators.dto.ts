import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  DATE_RULE,
  FREQUENCIES,
  INDICATOR_TYPES,
  isCalendarDay,
  isLabel,
  isNote,
  isSdgIndicator,
  isValue,
  MAX_DISAGGREGATION,
  MAX_NOTE_LENGTH,
  MAX_TEXT_LENGTH,
  NOTE_RULE,
  SDG_RULE,
  TEXT_RULE,
  VALUE_RULE,
  type Frequency,
  type IndicatorDefinition,
  type IndicatorType,
} from './indicator';
import type { NewMeasurement } from './indicators.service';

const rule = (
  name: string,
  test: (value: unknown) => boolean,
  text: string,
  each = false,
): PropertyDecorator =>
  ValidateBy(
    {
      name,
      validator: {
        validate: test,
        defaultMessage: (args?: ValidationArguments) => `${each ? 'each ' : ''}${args?.property} ${text}`,
      },
    },
    { each },
  );

export class DatedValueDto {
  @ApiProperty({ example: 12.5 })
  @rule('isValue', isValue, VALUE_RULE)
  value: number;

  @ApiProperty({ example: '2026-01-01', format: 'date' })
  @rule('isCalendarDay', isCalendarDay, DATE_RULE)
  date: string;
}

export class IndicatorDto {
  @ApiProperty({ example: 'Judges trained on the Convention', maxLength: MAX_TEXT_LENGTH })
  @rule('isLabel', isLabel, TEXT_RULE)
  name: string;

  @ApiProperty({ enum: INDICATOR_TYPES })
  @IsIn(INDICATOR_TYPES)
  type: IndicatorType;

  @ApiProperty({ example: 'per cent of judges', maxLength: MAX_TEXT_LENGTH })
  @rule('isLabel', isLabel, TEXT_RULE)
  unit: string;

  @ApiProperty({ type: DatedValueDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DatedValueDto)
  baseline: DatedValueDto;

  @ApiProperty({ type: DatedValueDto, description: 'Its date after the baseline’s' })
  @IsObject()
  @ValidateNested()
  @Type(() => DatedValueDto)
  target: DatedValueDto;

  @ApiProperty({ enum: FREQUENCIES, description: 'How often a measurement is due' })
  @IsIn(FREQUENCIES)
  frequency: Frequency;

  @ApiProperty({ example: 'Judicial Training Centre records', maxLength: MAX_TEXT_LENGTH })
  @rule('isLabel', isLabel, TEXT_RULE)
  dataSource: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_DISAGGREGATION, example: ['sex', 'region'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DISAGGREGATION)
  @rule('isLabel', isLabel, TEXT_RULE, true)
  disaggregation?: string[];

  @ApiPropertyOptional({ example: '16.3.1', description: 'The SDG indicator it relates to' })
  @IsOptional()
  @rule('isSdgIndicator', isSdgIndicator, SDG_RULE)
  sdgIndicator?: string;
}

export class MeasurementDto {
  @ApiProperty({ example: 35 })
  @rule('isValue', isValue, VALUE_RULE)
  value: number;

  @ApiProperty({ example: '2026-03-31', format: 'date', description: 'The day measured; not in the future' })
  @rule('isCalendarDay', isCalendarDay, DATE_RULE)
  date: string;

  @ApiPropertyOptional({ maxLength: MAX_NOTE_LENGTH })
  @IsOptional()
  @rule('isNote', isNote, NOTE_RULE)
  note?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The progress report it is given in' })
  @IsOptional()
  @IsUUID()
  progressReportId?: string;
}

export class IdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export const definitionOf = (body: IndicatorDto): IndicatorDefinition => ({
  name: body.name,
  type: body.type,
  unit: body.unit,
  baseline: { value: body.baseline.value, date: body.baseline.date },
  target: { value: body.target.value, date: body.target.date },
  frequency: body.frequency,
  dataSource: body.dataSource,
  disaggregation: body.disaggregation ?? [],
  sdgIndicator: body.sdgIndicator ?? null,
});

export const measurementOf = (body: MeasurementDto): NewMeasurement => ({
  value: body.value,
  date: body.date,
  note: body.note ?? '',
  progressReportId: body.progressReportId ?? null,
});
