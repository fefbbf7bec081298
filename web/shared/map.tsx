// A Leaflet map of points coloured by tone; without a tile URL the points are drawn on a plain background.
import L from 'leaflet';
import { useEffect, useRef } from 'preact/hooks';
import type { Tone } from './format.ts';

export interface MapPoint { id: string; lat: number; lon: number; tone: Tone; label: string; href?: string }

const COLOURS: Record<Tone, string> = { ok: '#1a7f37', busy: '#0550ae', bad: '#cf222e', off: '#6e7781', unknown: '#9a6700' };

export function PointMap({ points, tileUrl, onOpen }: { points: MapPoint[]; tileUrl: string; onOpen?: (p: MapPoint) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  useEffect(() => {
    if (!el.current) return;
    map.current = L.map(el.current, { attributionControl: Boolean(tileUrl) }).setView([50, 8], 4);
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map.current);
    layer.current = L.layerGroup().addTo(map.current);
    return () => map.current?.remove();
  }, [tileUrl]);
  useEffect(() => {
    const group = layer.current;
    if (!group || !map.current) return;
    group.clearLayers();
    const valid = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
    for (const p of valid) {
      const marker = L.circleMarker([p.lat, p.lon], { radius: 9, color: '#fff', weight: 2, fillColor: COLOURS[p.tone], fillOpacity: 1 }).bindTooltip(p.label);
      if (onOpen) marker.on('click', () => onOpen(p));
      marker.addTo(group);
    }
    if (valid.length) map.current.fitBounds(L.latLngBounds(valid.map((p) => [p.lat, p.lon] as [number, number])).pad(0.3), { maxZoom: 14 });
  }, [points]);
  return <div ref={el} class={`map${tileUrl ? '' : ' map-plain'}`} role="region" aria-label="Map of locations" />;
}
