import { BarChart as Bars } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useLocale } from '../i18n/LocaleProvider';
import { directionOf, numberFormatter, type Locale } from '../i18n/locales';

echarts.use([Bars, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: number[];
}

/**
 * The chart's options. Numbers on the value axis and in the tooltips are the reader's (Arabic-Indic
 * digits in Arabic). Right to left, the chart is mirrored: the category axis and its labels on the
 * right, the bars growing leftwards, the legend aligned right.
 */
export function barChartOption({
  label,
  categories,
  series,
  locale,
}: {
  label: string;
  categories: string[];
  series: Series[];
  locale: Locale;
}) {
  const rtl = directionOf(locale) === 'rtl';
  const number = numberFormatter(locale);
  return {
    animation: false,
    aria: { enabled: true, label: { description: label } },
    tooltip: {
      trigger: 'item',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? number(value) : String(value)),
    },
    legend:
      series.length > 1 ? { top: 0, [rtl ? 'right' : 'left']: 0, align: rtl ? 'right' : 'left' } : undefined,
    // ECharts 6 keeps the axis labels inside the chart by itself (grid.outerBounds).
    grid: { left: 8, right: 8, top: series.length > 1 ? 40 : 8, bottom: 8 },
    xAxis: { type: 'value', inverse: rtl, minInterval: 1, axisLabel: { formatter: number } },
    yAxis: { type: 'category', data: categories, inverse: true, position: rtl ? 'right' : 'left' },
    series: series.map((item) => ({
      type: 'bar',
      name: item.name,
      stack: series.length > 1 ? 'total' : undefined,
      data: item.values,
      cursor: 'pointer',
    })),
  };
}

/**
 * Horizontal bars, one row per category, stacked when there are several series. Right to left in
 * Arabic: the bars grow leftwards and the labels sit on the right. Clicking a bar opens its list.
 */
export function BarChart({
  label,
  categories,
  series,
  onOpen,
}: {
  label: string;
  categories: string[];
  series: Series[];
  /** Called with the bar clicked, for charts whose bars open a list. */
  onOpen?: (category: number, series: number) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const { locale } = useLocale();
  const open = useRef(onOpen);
  open.current = onOpen;

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'svg', locale: 'EN' });
    chart.setOption(barChartOption({ label, categories, series, locale }));
    chart.on('click', (event) => open.current?.(event.dataIndex, event.seriesIndex ?? 0));
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [label, categories, series, locale]);

  return (
    <div
      ref={element}
      role="img"
      aria-label={label}
      // ECharts lays text out left to right; the options above mirror the chart for Arabic instead.
      dir="ltr"
      style={{ width: '100%', height: Math.max(160, categories.length * 32 + 60) }}
    />
  );
}
