// Writes the explainability report: report.md and report.html side by side, with the feature-importance chart
// and one partial dependence plot per top feature as SVG files they link to.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportanceResult, PartialDependence } from './importance';
import { escapeXml } from '../shared/xml';
import { barChartSvg, lineChartSvg } from './svg-plot';

export interface ExplainReport {
  /** What was explained (an endpoint URL, a model name). */
  readonly subject: string;
  readonly rowsSampled: number;
  readonly totalRows: number;
  readonly importance: ImportanceResult;
  readonly partialDependence: readonly PartialDependence[];
  readonly seed: number;
  readonly repeats: number;
}

export interface WrittenReport {
  readonly markdown: string;
  readonly html: string;
  /** Paths of the SVG files: the importance chart first, then one per partial dependence plot. */
  readonly plots: readonly string[];
}

const METHOD_TEXT = {
  permutation_mse: 'permutation importance: how much the mean squared error against the labels grows when the feature is shuffled',
  prediction_change: 'mean absolute change of the prediction when the feature is shuffled (no labels given)',
} as const;

export async function writeExplainReport(dir: string, report: ExplainReport): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const { importance } = report;
  const plots: { file: string; title: string }[] = [];
  const importanceFile = 'importance.svg';
  await writeFile(join(dir, importanceFile), barChartSvg({
    title: 'Feature importance',
    labels: importance.ranking,
    values: importance.ranking.map((f) => importance.importance[f]),
  }));
  plots.push({ file: importanceFile, title: 'Feature importance' });
  for (const [i, pd] of report.partialDependence.entries()) {
    const file = `pd-${i + 1}-${pd.feature.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60)}.svg`;
    await writeFile(join(dir, file), lineChartSvg({ title: `Partial dependence on ${pd.feature}`, xLabel: pd.feature, yLabel: 'mean prediction', x: pd.grid, y: pd.average }));
    plots.push({ file, title: `Partial dependence on ${pd.feature}` });
  }

  const rows = importance.ranking.map((f, i) => [String(i + 1), f, fmt(importance.importance[f]), fmt(importance.importanceStd[f])]);
  const md: string[] = [
    '# Model explanation',
    '',
    `Model: \`${report.subject}\`. Rows: ${report.rowsSampled} sampled of ${report.totalRows} (seed ${report.seed}), ${report.repeats} shuffles per feature.`,
    '',
    `Importance: ${METHOD_TEXT[importance.method]}.${importance.baselineMse !== undefined ? ` Mean squared error without shuffling: ${fmt(importance.baselineMse)}.` : ''}`,
    '',
    '| rank | feature | importance | std over shuffles |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.map(escapeMarkdown).join(' | ')} |`),
    '',
    `![Feature importance](${importanceFile})`,
    '',
    '## Partial dependence',
    '',
    'The mean prediction over the sampled rows when the feature is set to each value (quantiles of the sample for numbers, the most frequent values otherwise).',
    '',
  ];
  for (const [i, pd] of report.partialDependence.entries()) {
    md.push(`### ${escapeMarkdown(pd.feature)}`, '', `![${escapeMarkdown(plots[i + 1].title)}](${plots[i + 1].file})`, '');
    md.push(`| ${escapeMarkdown(pd.feature)} | mean prediction |`, '| --- | --- |', ...pd.grid.map((g, j) => `| ${escapeMarkdown(typeof g === 'number' ? fmt(g) : String(g))} | ${fmt(pd.average[j])} |`), '');
  }

  const html: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Model explanation</title>',
    '<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:left}</style>',
    '</head><body>',
    '<h1>Model explanation</h1>',
    `<p>Model: <code>${escapeXml(report.subject)}</code>. Rows: ${report.rowsSampled} sampled of ${report.totalRows} (seed ${report.seed}), ${report.repeats} shuffles per feature.</p>`,
    `<p>Importance: ${escapeXml(METHOD_TEXT[importance.method])}.</p>`,
    '<table><tr><th>rank</th><th>feature</th><th>importance</th><th>std over shuffles</th></tr>',
    ...rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`),
    '</table>',
    `<p><img src="${importanceFile}" alt="Feature importance"></p>`,
    '<h2>Partial dependence</h2>',
    ...report.partialDependence.map((pd, i) => `<h3>${escapeXml(pd.feature)}</h3>\n<p><img src="${escapeXml(plots[i + 1].file)}" alt="${escapeXml(plots[i + 1].title)}"></p>`),
    '</body></html>',
    '',
  ];
  const markdown = join(dir, 'report.md');
  const htmlFile = join(dir, 'report.html');
  await writeFile(markdown, md.join('\n'));
  await writeFile(htmlFile, html.join('\n'));
  return { markdown, html: htmlFile, plots: plots.map((p) => join(dir, p.file)) };
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function escapeMarkdown(text: string): string {
  return text.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}
