// A live line chart of a session's power (kW) and energy (kWh) with uPlot.
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import type { Sample } from './charger-state.ts';

export function SessionChart({ samples }: { samples: Sample[] }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!el.current) return;
    plot.current = new uPlot({
      width: Math.min(640, el.current.clientWidth || 640), height: 220,
      scales: { x: { time: true }, kw: {}, kwh: {} },
      series: [{}, { label: 'Power (kW)', scale: 'kw', stroke: '#0550ae', width: 2 }, { label: 'Energy (kWh)', scale: 'kwh', stroke: '#1a7f37', width: 2 }],
      axes: [{}, { scale: 'kw', label: 'kW' }, { scale: 'kwh', label: 'kWh', side: 1 }],
    }, [[], [], []], el.current);
    return () => plot.current?.destroy();
  }, []);
  useEffect(() => {
    plot.current?.setData([samples.map((s) => s.t / 1000), samples.map((s) => (s.powerW === null ? null : s.powerW / 1000)), samples.map((s) => s.kWh)]);
  }, [samples]);
  return <div ref={el} class="chart" aria-label="Power and energy of the current session" />;
}
