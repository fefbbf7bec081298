// A uPlot chart of report buckets (local dates) with one line per series.
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import type { ChartData } from './analytics.ts';

const COLOURS = ['#0550ae', '#1a7f37', '#9a6700', '#cf222e', '#8250df'];

/** `range`: the period shown, [from, to) in epoch seconds (uPlot would stretch one bucket over years). */
export function BucketChart({ title, data, range }: { title: string; data: ChartData; range: [number, number] }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const plot = new uPlot({
      title, width: 560, height: 220,
      scales: { x: { time: true, range: () => range } },
      series: [{}, ...data.series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true } }))],
    }, [data.buckets.map((b) => Date.parse(`${b}T00:00:00Z`) / 1000), ...data.series.map((s) => s.values)], el.current);
    return () => plot.destroy();
  }, [data, range[0], range[1]]);
  return <figure class="chart" aria-label={title}><div ref={el} />{data.buckets.length === 0 && <figcaption class="muted">No data in this period.</figcaption>}</figure>;
}
