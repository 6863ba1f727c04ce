// Writes a report people look at: report.md and report.html with, per feature, the verdict, the test, its
// distance and p-value, and a baseline-versus-window histogram (images/<n>-<feature>.svg).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FeatureDriftResult, FeatureHistogram, WindowAnalysis } from './drift-analysis';
import { WindowContext } from './emitters';
import { escapeXml } from '../shared/xml';
import { histogramSvg } from './histogram-svg';

/** Writes the report into `dir` (created if needed); returns the Markdown file's path. */
export async function writeDriftReport(dir: string, analysis: WindowAnalysis, histograms: readonly FeatureHistogram[], ctx: WindowContext): Promise<string> {
  const files = renderDriftReport(analysis, histograms, ctx);
  await mkdir(join(dir, 'images'), { recursive: true });
  for (const [name, svg] of files.images) await writeFile(join(dir, name), svg);
  await writeFile(join(dir, 'report.md'), files.markdown);
  await writeFile(join(dir, 'report.html'), files.html);
  return join(dir, 'report.md');
}

/** The report's contents: Markdown, HTML, and [relative path, SVG] per image. */
export function renderDriftReport(
  analysis: WindowAnalysis,
  histograms: readonly FeatureHistogram[],
  ctx: WindowContext,
): { markdown: string; html: string; images: [string, string][] } {
  const byFeature = new Map(histograms.map((h) => [h.feature, h]));
  const images: [string, string][] = [];
  const imageOf = new Map<string, string>();
  analysis.features.forEach((f, i) => {
    const h = byFeature.get(f.feature);
    if (!h) return;
    const path = `images/${String(i + 1).padStart(2, '0')}-${f.feature.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60)}.svg`;
    images.push([path, histogramSvg(h, `${f.feature}: ${f.verdict.replace('_', ' ')}`)]);
    imageOf.set(f.feature, path);
  });
  const d = analysis.dataset;
  const s = analysis.settings;
  const window = `${ctx.windowStart.toISOString()} to ${ctx.windowEnd.toISOString()}`;
  const headline = `${d.drifted} of ${d.evaluated} evaluated features drifted (share ${fmt(d.share)}; dataset drift at ${fmt(s.datasetDriftShare)}): ${d.datasetDrift ? 'dataset drift' : 'no dataset drift'}`;
  const settings = `alpha ${s.alpha} after ${s.correction} correction; verdicts need ${s.minWindowRows} values; effect sizes decide from ${s.largeWindowRows} values; PSI threshold ${s.psiThreshold}`;

  const md: string[] = [`# Drift report: ${ctx.model}`, '', `Window ${window}.`, '', `**${headline}.**`, '', `Settings: ${settings}.`, ''];
  md.push('| feature | type | verdict | test | distance | threshold | p-value (corrected) | PSI | values |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const f of analysis.features) {
    md.push(`| ${mdCell(f.feature)} | ${f.inferred_type} | ${f.verdict} | ${f.test} | ${fmt(f.distance)} | ${f.threshold} | ${fmtP(f.p_value)} (${fmtP(f.p_value_adjusted)}) | ${fmt(f.psi)} | ${f.window_size} |`);
  }
  md.push('');
  if (analysis.violations.length > 0) {
    md.push('## Constraint violations', '');
    for (const v of analysis.violations) md.push(`- ${mdCell(v.feature)}: \`${v.check}\`: ${mdCell(v.description)}`);
    md.push('');
  }
  md.push('## Features', '');
  for (const f of analysis.features) {
    md.push(`### ${mdCell(f.feature)}`, '', detail(f), '');
    const image = imageOf.get(f.feature);
    if (image) md.push(`![${mdCell(f.feature)}: baseline and window](${image})`, '');
  }

  const rows = analysis.features
    .map((f) => `<tr class="${f.drifted ? 'drift' : ''}"><td>${escapeXml(f.feature)}</td><td>${f.inferred_type}</td><td>${f.verdict}</td><td>${f.test}</td><td>${fmt(f.distance)}</td><td>${f.threshold}</td><td>${fmtP(f.p_value)} (${fmtP(f.p_value_adjusted)})</td><td>${fmt(f.psi)}</td><td>${f.window_size}</td></tr>`)
    .join('\n');
  const violationItems = analysis.violations.map((v) => `<li>${escapeXml(v.feature)}: <code>${v.check}</code>: ${escapeXml(v.description)}</li>`).join('\n');
  const sections = analysis.features
    .map((f) => {
      const image = imageOf.get(f.feature);
      return `<section><h3>${escapeXml(f.feature)}</h3><p>${escapeXml(detail(f))}</p>${image ? `<img src="${image}" alt="${escapeXml(f.feature)}: baseline and window">` : ''}</section>`;
    })
    .join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Drift report: ${escapeXml(ctx.model)}</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}tr.drift{background:#fde8e0}img{max-width:100%}</style>
</head><body>
<h1>Drift report: ${escapeXml(ctx.model)}</h1>
<p>Window ${escapeXml(window)}.</p>
<p><strong>${escapeXml(headline)}.</strong></p>
<p>Settings: ${escapeXml(settings)}.</p>
<table><thead><tr><th>feature</th><th>type</th><th>verdict</th><th>test</th><th>distance</th><th>threshold</th><th>p-value (corrected)</th><th>PSI</th><th>values</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${violationItems ? `<h2>Constraint violations</h2><ul>\n${violationItems}\n</ul>` : ''}
<h2>Features</h2>
${sections}
</body></html>
`;
  return { markdown: `${md.join('\n')}\n`, html, images };
}

function detail(f: FeatureDriftResult): string {
  const parts = [
    `verdict ${f.verdict} by ${f.test}`,
    `distance ${fmt(f.distance)} against ${f.threshold}`,
    `p-value ${fmtP(f.p_value)}, corrected ${fmtP(f.p_value_adjusted)} against alpha ${f.alpha}`,
    `L-infinity ${fmt(f.linf_distance)}`,
    ...(f.wasserstein !== null ? [`Wasserstein ${fmt(f.wasserstein)} sd`] : []),
    ...(f.jensen_shannon !== null ? [`Jensen-Shannon ${fmt(f.jensen_shannon)}`] : []),
    `PSI ${fmt(f.psi)}`,
    `${f.window_size} values in the window, ${f.baseline_size} in the baseline`,
    `completeness ${fmt(f.completeness)} (baseline ${fmt(f.baseline_completeness)})`,
  ];
  if (f.new_categories.length > 0) parts.push(`new values: ${f.new_categories.join(', ')}`);
  if (f.violations.length > 0) parts.push(`checks failed: ${f.violations.join(', ')}`);
  return `${parts.join('; ')}.`;
}

function fmt(x: number | null): string {
  return x === null ? 'n/a' : Number(x.toFixed(4)).toString();
}

function fmtP(x: number | null): string {
  return x === null ? 'n/a' : x < 1e-4 ? x.toExponential(1) : Number(x.toFixed(4)).toString();
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
