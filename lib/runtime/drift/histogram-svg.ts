// Draws one feature's baseline-versus-window histogram as a self-contained SVG (shares of each side per bucket,
// side by side), so the report needs no plotting library and renders in any browser or Markdown viewer.
import { escapeXml } from '../shared/xml';
import { FeatureHistogram } from './drift-analysis';

const WIDTH = 640;
const HEIGHT = 300;
const MARGIN = { top: 36, right: 16, bottom: 84, left: 48 };
const BASELINE_COLOR = '#4c78a8';
const WINDOW_COLOR = '#f58518';

/** The histogram as SVG markup; `title` goes on top. */
export function histogramSvg(h: FeatureHistogram, title: string): string {
  const share = (counts: readonly number[]) => {
    const total = counts.reduce((s, c) => s + c, 0);
    return counts.map((c) => (total === 0 ? 0 : c / total));
  };
  const base = share(h.baseline);
  const win = share(h.window);
  const top = Math.max(0.01, ...base, ...win);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotW / Math.max(1, h.labels.length);
  const bar = Math.max(1, slot * 0.4);
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const num = (x: number) => Number(x.toFixed(2));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${WIDTH - 190}" y="8" width="10" height="10" fill="${BASELINE_COLOR}"/><text x="${WIDTH - 176}" y="17">baseline</text>`,
    `<rect x="${WIDTH - 110}" y="8" width="10" height="10" fill="${WINDOW_COLOR}"/><text x="${WIDTH - 96}" y="17">window</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${WIDTH - MARGIN.right}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
  ];
  for (const tick of [0, 0.5, 1]) {
    parts.push(`<text x="${MARGIN.left - 4}" y="${num(y(top * tick) + 4)}" text-anchor="end">${(top * tick * 100).toFixed(0)}%</text>`);
  }
  h.labels.forEach((label, i) => {
    const x = MARGIN.left + i * slot + (slot - 2 * bar) / 2;
    parts.push(`<rect x="${num(x)}" y="${num(y(base[i]))}" width="${num(bar)}" height="${num(MARGIN.top + plotH - y(base[i]))}" fill="${BASELINE_COLOR}"/>`);
    parts.push(`<rect x="${num(x + bar)}" y="${num(y(win[i]))}" width="${num(bar)}" height="${num(MARGIN.top + plotH - y(win[i]))}" fill="${WINDOW_COLOR}"/>`);
    const short = label.length > 18 ? `${label.slice(0, 17)}…` : label;
    const cx = num(MARGIN.left + (i + 0.5) * slot);
    const cy = MARGIN.top + plotH + 10;
    parts.push(`<text x="${cx}" y="${cy}" text-anchor="end" transform="rotate(-45 ${cx} ${cy})">${escapeXml(short)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
