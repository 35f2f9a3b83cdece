import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  bars?: boolean;
}

/** A uPlot chart of daily series; its canvas is the drawn content, with a text summary for screen readers. */
export function DailyChart({ title, dates, series }: { title: string; dates: string[]; series: Series[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const xs = dates.map((date) => Date.parse(`${date}T12:00:00Z`) / 1000);
    const width = () => Math.max(260, element.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        scales: { x: { time: true } },
        axes: [{}, { size: 44 }],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: s.bars ? `${s.color}55` : undefined,
            width: 2,
            points: { show: true, size: 5 },
            ...(s.bars ? { paths: uPlot.paths.bars!({ size: [0.6, 40] }) } : {}),
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [dates, series]);
  const summary = series.map((s) => `${s.label}: ${s.values.reduce<number>((sum, v) => sum + (v ?? 0), 0)}`).join(', ');
  return (
    <figure className="chart" data-testid="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title} by day, ${dates[0] ?? ''} to ${dates.at(-1) ?? ''}. Totals: ${summary}`} />
    </figure>
  );
}
