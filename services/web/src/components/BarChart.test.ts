import { BarChart as Bars } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { describe, expect, it } from 'vitest';
import { numberFormatter, type Locale } from '../i18n/locales';
import { barChartOption } from './BarChart';

echarts.use([Bars, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

const LATIN_DIGIT = /[0-9]/;
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669]/;

describe("numbers in the reader's digits", () => {
  it.each([
    ['ar', '١٬٢٣٤'],
    ['en', '1,234'],
    ['fr', '1\u202f234'],
    ['ru', '1\u00a0234'],
    ['zh', '1,234'],
  ] as [Locale, string][])('%s writes 1234 as %s', (locale, written) => {
    expect(numberFormatter(locale)(1234)).toBe(written);
  });

  it('writes every Arabic number in Arabic-Indic digits, none in Latin ones', () => {
    const format = numberFormatter('ar');
    for (const value of [0, 7, 42, 305, 98_765]) {
      expect(format(value)).toMatch(ARABIC_INDIC_DIGIT);
      expect(format(value)).not.toMatch(LATIN_DIGIT);
    }
  });
});

/** The chart ECharts draws from the options, as SVG text, with its axis labels' positions. */
function draw(locale: Locale) {
  const chart = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width: 600, height: 200 });
  chart.setOption(
    barChartOption({
      label: 'Actions by ministry',
      categories: ['Justice', 'Health'],
      series: [{ name: 'Total', values: [1200, 300] }],
      locale,
    }),
  );
  const svg = chart.renderToSVGString();
  chart.dispose();
  const texts = [
    ...svg.matchAll(/<text[^>]*transform="translate\(([-\d.]+) [-\d.]+\)"[^>]*>([^<]*)<\/text>/g),
  ].map(([, x, text]) => ({ x: Number(x), text: text ?? '' }));
  return { texts, x: (text: string) => texts.find((item) => item.text === text)?.x ?? Number.NaN };
}

describe('the bar chart', () => {
  it('labels its value axis in Arabic-Indic digits in Arabic, and in Latin ones in English', () => {
    const numbers = (locale: Locale) =>
      draw(locale)
        .texts.map(({ text }) => text)
        .filter((text) => !['Justice', 'Health'].includes(text));
    const arabic = numbers('ar');
    expect(arabic.length).toBeGreaterThan(1);
    for (const text of arabic) expect(text).not.toMatch(LATIN_DIGIT);
    expect(arabic).toContain(numberFormatter('ar')(0));
    expect(arabic.some((text) => ARABIC_INDIC_DIGIT.test(text))).toBe(true);
    expect(numbers('en')).toContain('0');
  });

  it('mirrors in Arabic: the categories on the right, zero on the right, growing leftwards', () => {
    const english = draw('en');
    const arabic = draw('ar');
    expect(english.x('Justice')).toBeLessThan(300);
    expect(arabic.x('Justice')).toBeGreaterThan(300);
    expect(english.x('0')).toBeLessThan(english.x('1,000'));
    expect(arabic.x('٠')).toBeGreaterThan(arabic.x('١٬٠٠٠'));
  });

  it('formats tooltip values in the reader’s digits', () => {
    const option = barChartOption({
      label: 'l',
      categories: ['a'],
      series: [{ name: 's', values: [5] }],
      locale: 'ar',
    });
    expect(option.tooltip.valueFormatter(1500)).toBe('١٬٥٠٠');
  });
});
