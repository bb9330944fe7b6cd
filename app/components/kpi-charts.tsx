import { useId, type ReactNode } from 'react';

/**
 * Charts for the state console, drawn on the server as inline SVG: readable without JavaScript,
 * no chart library. Each has a title and a description for assistive technology, and the charts
 * with axes a data table beside them (in a <details>, so everyone can open it).
 */

const INK = '#1b1b1b';
const BASE = '#71767a';
const PRIMARY = '#005ea2';

/** A small line of a series (requests per week): the numbers are in its description. */
export function Sparkline({ values, title, description }: { values: number[]; title: string; description: string }) {
  const id = useId();
  const width = 104;
  const height = 24;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="cc-sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <polyline points={points} fill="none" stroke={PRIMARY} strokeWidth={1.5} />
    </svg>
  );
}

export type ChartPoint = { label: string; value: number | null };

type ChartProps = {
  title: string;
  description: string;
  points: ChartPoint[];
  /** How a value reads in the table and on the axis (units included). */
  format: (value: number) => string;
  /** The table's column headings: the label's and the value's. */
  columns: [string, string];
  /** Shown for a point without a value (too few requests, or none). */
  empty: string;
  tableSummary: ReactNode;
  kind: 'bars' | 'line';
};

/**
 * Bars (counts) or a line (medians, shares) over labelled points, e.g. months. Points without a
 * value leave a gap. The data table repeats every value.
 */
export function SeriesChart({ title, description, points, format, columns, empty, tableSummary, kind }: ChartProps) {
  const id = useId();
  const width = 640;
  const height = 200;
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const max = Math.max(1, ...values);
  // Room for the longer of the axis's two labels, at about 6.5 px a character of 11 px text.
  const left = 12 + 6.5 * Math.max(format(max).length, format(0).length);
  const bottom = 28;
  const plotWidth = width - left - 8;
  const plotHeight = height - bottom - 12;
  const slot = points.length > 0 ? plotWidth / points.length : plotWidth;
  const x = (i: number) => left + slot * i + slot / 2;
  const y = (v: number) => 12 + plotHeight - (v / max) * plotHeight;
  // A line breaks where a point has no value; a point alone is drawn as a dot.
  const segments: { x: number; y: number }[][] = [[]];
  points.forEach((p, i) => (p.value === null ? segments.push([]) : segments.at(-1)!.push({ x: x(i), y: y(p.value) })));
  return (
    <figure className="cc-chart">
      <figcaption className="text-bold">{title}</figcaption>
      <svg width="100%" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <line x1={left} x2={width - 8} y1={12 + plotHeight} y2={12 + plotHeight} stroke={BASE} />
        <line x1={left} x2={width - 8} y1={12} y2={12} stroke={BASE} strokeDasharray="2 3" />
        <text x={left - 6} y={16} textAnchor="end" fontSize={11} fill={INK}>
          {format(max)}
        </text>
        <text x={left - 6} y={12 + plotHeight} textAnchor="end" fontSize={11} fill={INK}>
          {format(0)}
        </text>
        {kind === 'bars'
          ? points.map((p, i) =>
              p.value === null ? null : <rect key={p.label} x={x(i) - slot * 0.35} width={slot * 0.7} y={y(p.value)} height={12 + plotHeight - y(p.value)} fill={PRIMARY} />,
            )
          : segments.map((line) =>
              line.length === 1 ? (
                <circle key={line[0]!.x} cx={line[0]!.x} cy={line[0]!.y} r={3} fill={PRIMARY} />
              ) : line.length > 1 ? (
                <polyline key={line[0]!.x} points={line.map((pt) => `${pt.x.toFixed(1)},${pt.y.toFixed(1)}`).join(' ')} fill="none" stroke={PRIMARY} strokeWidth={2} />
              ) : null,
            )}
        {points.map((p, i) =>
          // At most a dozen labels under the axis, counted back from the latest point.
          (points.length - 1 - i) % Math.ceil(points.length / 12) === 0 ? (
            <text key={p.label} x={x(i)} y={height - 10} textAnchor="middle" fontSize={11} fill={INK}>
              {p.label}
            </text>
          ) : null,
        )}
      </svg>
      <details>
        <summary>{tableSummary}</summary>
        <table className="usa-table usa-table--borderless usa-table--compact">
          <caption className="usa-sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{columns[0]}</th>
              <th scope="col">{columns[1]}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label}>
                <th scope="row">{p.label}</th>
                <td>{p.value === null ? empty : format(p.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
