// Dependency-free SVG charts for the explainability report: a line chart (partial dependence) and a horizontal
// bar chart (feature importance). Plain SVG 1.1 that browsers, GitHub's Markdown view and image viewers render.
import { escapeXml } from '../shared/xml';

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Numbers are placed on a linear axis; anything else is a category, placed evenly. */
  readonly x: readonly unknown[];
  readonly y: readonly number[];
}

const WIDTH = 560;
const HEIGHT = 340;
const LEFT = 72;
const RIGHT = 24;
const TOP = 44;
const BOTTOM = 64;

/** A line chart with markers, axes, ticks and labels. */
export function lineChartSvg(chart: LineChart): string {
  const numeric = chart.x.every((v) => typeof v === 'number' && Number.isFinite(v));
  const xs = numeric ? (chart.x as number[]) : chart.x.map((_, i) => i);
  const [x0, x1] = padded(Math.min(...xs), Math.max(...xs), numeric ? 0 : 0.5);
  const [y0, y1] = padded(Math.min(...chart.y), Math.max(...chart.y), 0.05);
  const px = (x: number) => LEFT + ((x - x0) / (x1 - x0)) * (WIDTH - LEFT - RIGHT);
  const py = (y: number) => HEIGHT - BOTTOM - ((y - y0) / (y1 - y0)) * (HEIGHT - TOP - BOTTOM);
  const parts: string[] = [];
  for (const t of ticks(y0, y1)) {
    parts.push(`<line x1="${LEFT}" y1="${f(py(t))}" x2="${WIDTH - RIGHT}" y2="${f(py(t))}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${f(py(t) + 4)}" text-anchor="end" font-size="11">${escapeXml(label(t))}</text>`);
  }
  const xTicks = numeric ? ticks(x0, x1).map((t) => ({ at: t, text: label(t) })) : chart.x.map((v, i) => ({ at: i, text: String(v) }));
  for (const t of xTicks) {
    parts.push(`<line x1="${f(px(t.at))}" y1="${HEIGHT - BOTTOM}" x2="${f(px(t.at))}" y2="${HEIGHT - BOTTOM + 5}" stroke="#374151"/>`);
    parts.push(`<text x="${f(px(t.at))}" y="${HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="11">${escapeXml(shorten(t.text))}</text>`);
  }
  const points = xs.map((x, i) => `${f(px(x))},${f(py(chart.y[i]))}`);
  parts.push(`<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${points.join(' ')}"/>`);
  for (const p of points) {
    const [cx, cy] = p.split(',');
    parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="#2563eb"/>`);
  }
  parts.push(`<line x1="${LEFT}" y1="${HEIGHT - BOTTOM}" x2="${WIDTH - RIGHT}" y2="${HEIGHT - BOTTOM}" stroke="#374151"/>`);
  parts.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${HEIGHT - BOTTOM}" stroke="#374151"/>`);
  parts.push(`<text x="${(LEFT + WIDTH - RIGHT) / 2}" y="${HEIGHT - 18}" text-anchor="middle" font-size="12">${escapeXml(chart.xLabel)}</text>`);
  parts.push(`<text x="16" y="${(TOP + HEIGHT - BOTTOM) / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${(TOP + HEIGHT - BOTTOM) / 2})">${escapeXml(chart.yLabel)}</text>`);
  return svg(WIDTH, HEIGHT, chart.title, parts);
}

export interface BarChart {
  readonly title: string;
  readonly labels: readonly string[];
  readonly values: readonly number[];
}

/** Horizontal bars, one per label, scaled to the largest value (negative values draw no bar). */
export function barChartSvg(chart: BarChart): string {
  const rowHeight = 24;
  const labelWidth = 160;
  const height = TOP + chart.labels.length * rowHeight + 24;
  const max = Math.max(...chart.values, 0) || 1;
  const barSpace = WIDTH - labelWidth - RIGHT - 70;
  const parts: string[] = [];
  chart.labels.forEach((name, i) => {
    const y = TOP + i * rowHeight;
    const width = Math.max(0, (chart.values[i] / max) * barSpace);
    parts.push(`<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end" font-size="12">${escapeXml(shorten(name))}</text>`);
    parts.push(`<rect x="${labelWidth}" y="${y + 4}" width="${f(width)}" height="${rowHeight - 8}" fill="#2563eb"/>`);
    parts.push(`<text x="${f(labelWidth + width + 6)}" y="${y + 16}" font-size="11">${escapeXml(label(chart.values[i]))}</text>`);
  });
  return svg(WIDTH, height, chart.title, parts);
}

function svg(width: number, height: number, title: string, parts: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

// The axis range around the data, with room so points do not sit on the frame; a flat line gets a unit range.
function padded(min: number, max: number, fraction: number): [number, number] {
  if (min === max) return [min - (Math.abs(min) * 0.1 || 1), max + (Math.abs(max) * 0.1 || 1)];
  const pad = (max - min) * fraction;
  return [min - pad, max + pad];
}

/** About five round tick values (1, 2 or 5 times a power of ten apart) inside [min, max]. */
export function ticks(min: number, max: number): number[] {
  const rough = (max - min) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

function label(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function f(x: number): string {
  return x.toFixed(1);
}

function shorten(text: string): string {
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}
