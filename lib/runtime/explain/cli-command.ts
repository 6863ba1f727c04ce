// `deploy-ai-smarter explain`: explains a served model from the outside. Sends a sample of a CSV file to its
// /invocations, computes permutation feature importance and partial dependence for the top features, writes a
// Markdown + HTML report with SVG plots, and prints one JSON line (the last line of output) with the importance.
import type { CliCommand, CliIo } from '../shared/cli-command';
import { JobConfigError, JobOptionReader } from '../shared/job-options';
import { round6 } from '../shared/metric-lines';
import { readDatasetSample } from './dataset';
import { httpPredictor, parseHeader } from './http-predictor';
import { featureImportance, partialDependence } from './importance';
import { writeExplainReport } from './report';

const OPTIONS = {
  'endpoint-url': { env: 'EXPLAIN_ENDPOINT_URL' },
  data: {},
  header: { boolean: true },
  labels: {},
  sample: {},
  top: {},
  report: {},
  'content-type': {},
  'header-auth': { env: 'EXPLAIN_HEADER_AUTH' },
  'inference-attribute': {},
  seed: {},
  repeats: {},
  'grid-points': {},
  'batch-size': {},
} as const;

const USAGE = `Usage: deploy-ai-smarter explain --endpoint-url URL --data FILE [options]

Explains a model served with our contract (POST /invocations, CSV in, predictions out) on a sample of FILE:
permutation feature importance (against the labels when --labels is given, else the mean change of the
prediction when a feature is shuffled) and partial dependence plots for the top features.

  --endpoint-url URL         the model's base URL; /invocations is appended [EXPLAIN_ENDPOINT_URL]
  --data FILE                CSV rows in the order the model expects its features
  --header                   the first line names the columns (default: _c0, _c1, ...)
  --labels COLUMN            numeric label column (name, or 0-based index), left out of the requests
  --sample N                 rows sampled from FILE (default 200)
  --top K                    partial dependence plots for the K most important features (default 3)
  --report DIR               report folder (default ./explain-report)
  --content-type T           text/csv (default) or application/json ({"instances": [[...]]})
  --header-auth 'Name: v'    one extra request header, e.g. 'Authorization: Bearer <token>' [EXPLAIN_HEADER_AUTH]
  --inference-attribute A    the number to explain in each prediction (CSV column index or JSON path)
  --seed N                   sampling and shuffling seed (default 1)
  --repeats N                shuffles per feature (default 3)
  --grid-points N            partial dependence grid size (default 10)
  --batch-size N             rows per request (default 100)

The last line of output is one JSON object with "importance": {"<feature>": number, ...}.
Exit codes: 0 done, 1 the data or the model failed, 2 bad options.`;

async function runExplain(args: readonly string[], io: CliIo): Promise<number> {
  const options = new JobOptionReader('explain', OPTIONS, args, io.env);
  const endpointUrl = options.required('endpoint-url');
  if (endpointUrl && !/^https?:\/\/\S+$/.test(endpointUrl)) options.add('endpoint-url', endpointUrl, 'an http:// or https:// URL');
  const data = options.required('data');
  const sample = options.number('sample', 1, 100_000, true) ?? 200;
  const top = options.number('top', 0, 50, true) ?? 3;
  const seed = options.number('seed', 0, 2 ** 32 - 1, true) ?? 1;
  const repeats = options.number('repeats', 1, 100, true) ?? 3;
  const gridPoints = options.number('grid-points', 2, 100, true) ?? 10;
  const batchSize = options.number('batch-size', 1, 10_000, true) ?? 100;
  const contentType = options.oneOf('content-type', ['text/csv', 'application/json'], 'text/csv');
  const auth = options.get('header-auth');
  const header = auth === undefined ? undefined : parseHeader(auth);
  if (auth !== undefined && header === undefined) options.add('header-auth', '<hidden>', "'Name: value', e.g. 'Authorization: Bearer <token>'");
  const headerFlag = options.boolean('header');
  try {
    options.throwIfAny();
  } catch (error) {
    if (!(error instanceof JobConfigError)) throw error;
    io.stderr(`deploy-ai-smarter explain: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }

  const reportDir = options.get('report') ?? 'explain-report';
  try {
    const dataset = await readDatasetSample(data, { header: headerFlag, labelColumn: options.get('labels'), sample, seed });
    io.stderr(`Explaining ${endpointUrl} on ${dataset.rows.length} of ${dataset.totalRows} rows, ${dataset.features.length} features${dataset.labels ? ' (with labels)' : ''}\n`);
    const predict = httpPredictor({
      endpointUrl,
      contentType,
      headers: header ? { [header.name]: header.value } : undefined,
      batchSize,
      inferenceAttribute: options.get('inference-attribute'),
    });
    const importance = await featureImportance({ features: dataset.features, rows: dataset.rows, labels: dataset.labels, predict, repeats, seed });
    const dependence = [];
    for (const feature of importance.ranking.slice(0, top)) {
      dependence.push(await partialDependence({ features: dataset.features, rows: dataset.rows, feature, predict, gridPoints }));
    }
    const written = await writeExplainReport(reportDir, {
      subject: endpointUrl, rowsSampled: dataset.rows.length, totalRows: dataset.totalRows, importance, partialDependence: dependence, seed, repeats,
    });
    for (const [i, feature] of importance.ranking.entries()) io.stderr(`  ${String(i + 1).padStart(3)}. ${feature}  ${importance.importance[feature].toPrecision(6)}\n`);
    io.stderr(`Wrote ${written.markdown}, ${written.html} and ${written.plots.length} plots\n`);
    io.stdout(`${JSON.stringify({
      event: 'explain_summary',
      endpoint_url: endpointUrl,
      method: importance.method,
      rows_sampled: dataset.rows.length,
      total_rows: dataset.totalRows,
      ranking: importance.ranking,
      importance: mapValues(importance.importance),
      importance_std: mapValues(importance.importanceStd),
      baseline_mse: importance.baselineMse === undefined ? null : round6(importance.baselineMse),
      partial_dependence: Object.fromEntries(dependence.map((pd) => [pd.feature, { grid: pd.grid, average: pd.average.map((a) => round6(a)) }])),
      report: written,
    })}\n`);
    return 0;
  } catch (error) {
    // Bad data (file:line), an unreachable model or an unreadable answer: say which, without a stack.
    // (Duck-typed: fetch's errors may come from another realm, where instanceof Error is false.)
    const message = (e: unknown): string | undefined => (typeof (e as Error | undefined)?.message === 'string' ? (e as Error).message : undefined);
    const cause = message((error as Error | undefined)?.cause);
    io.stderr(`deploy-ai-smarter explain: ${message(error) ?? String(error)}${cause ? ` (${cause})` : ''}\n`);
    return 1;
  }
}

function mapValues(values: Readonly<Record<string, number>>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round6(v)]));
}

export const EXPLAIN_COMMAND: CliCommand = {
  summary: 'feature importance and partial dependence plots for a served model, from its predictions',
  usage: USAGE,
  run: runExplain,
};
