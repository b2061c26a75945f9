import { BarChart as Bars } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useLocale } from '../i18n/LocaleProvider';

echarts.use([Bars, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: number[];
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
  onOpen: (category: number, series: number) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const { direction, locale } = useLocale();
  const open = useRef(onOpen);
  open.current = onOpen;

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'svg', locale: 'EN' });
    const rtl = direction === 'rtl';
    chart.setOption({
      animation: false,
      aria: { enabled: true, label: { description: label } },
      tooltip: { trigger: 'item' },
      legend:
        series.length > 1
          ? { top: 0, [rtl ? 'right' : 'left']: 0, align: rtl ? 'right' : 'left' }
          : undefined,
      grid: { containLabel: true, left: 8, right: 8, top: series.length > 1 ? 40 : 8, bottom: 8 },
      xAxis: { type: 'value', inverse: rtl, minInterval: 1 },
      yAxis: { type: 'category', data: categories, inverse: true, position: rtl ? 'right' : 'left' },
      series: series.map((item) => ({
        type: 'bar',
        name: item.name,
        stack: series.length > 1 ? 'total' : undefined,
        data: item.values,
        cursor: 'pointer',
      })),
    });
    chart.on('click', (event) => open.current(event.dataIndex, event.seriesIndex ?? 0));
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [label, categories, series, direction, locale]);

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
