// Generates the prebuilt serving image data behind `spec.framework` from the publishers' own files, and the
// docs table from that data. Nothing here is typed by hand: accounts, regions, tags and URIs are read.
//
//   tsx scripts/generate-framework-images.ts data \
//     --sagemaker <dir with image_uri_config/ and common_utils.py> --sagemaker-commit <sha> --sagemaker-date <iso> \
//     --vertex <prediction.py> --vertex-commit <sha> --vertex-date <iso> \
//     --hf-gcp <available.mdx> --hf-gcp-commit <sha> --hf-gcp-date <iso>
//   tsx scripts/generate-framework-images.ts docs
//
// Sources (bring them here with `git archive` / `git show`; they are not committed):
// - github.com/aws/sagemaker-python-sdk, sagemaker-core/src/sagemaker/core/{image_uri_config/*.json,common_utils.py}
//   (SDK v3; v2 keeps the same files under src/sagemaker/ on branch master-v2)
// - github.com/googleapis/python-aiplatform, google/cloud/aiplatform/constants/prediction.py
// - github.com/huggingface/Google-Cloud-Containers, docs/source/containers/available.mdx
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { FrameworkName, ImageProcessor } from '../lib/core/frameworks/types';
import { newestFirst } from '../lib/core/frameworks/private/versions';

const OUT_DIR = join(__dirname, '..', 'lib', 'core', 'frameworks', 'private');
/** How many SageMaker versions per framework (and per Neuron variant) the data covers, newest first. */
const SAGEMAKER_NEWEST = 6;
const SAGEMAKER_NEWEST_NEURON = 3;
/** How many Vertex AI minor versions per framework: older ones reach Google's end of availability. */
const VERTEX_NEWEST = 2;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function args(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`expected --name value pairs, got ${argv.slice(i).join(' ')}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

function required(opts: Record<string, string>, name: string): string {
  const value = opts[name];
  if (!value) throw new Error(`missing --${name}`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// SageMaker: image_uri_config/*.json, read with the SDK's rules (image_uris.py: retrieve, _format_tag).

/** One SDK configuration file feeding a framework. */
interface SageMakerConfigSource {
  readonly file: string;
  /** Processor(s) of versions whose config lists none (the SDK then puts no processor in the tag). */
  readonly unlistedProcessors: readonly ImageProcessor[];
  /** `neuronx` for Neuron images: the SDK writes the inference tool where the processor would be. */
  readonly inferenceTool?: string;
  /** Only versions in this repository (xgboost.json also holds the built-in algorithm, repository `xgboost`). */
  readonly repository?: string;
  readonly newest: number;
}

const SAGEMAKER_SOURCES: Readonly<Record<FrameworkName, readonly SageMakerConfigSource[]>> = {
  'sklearn': [{ file: 'sklearn.json', unlistedProcessors: ['cpu'], newest: SAGEMAKER_NEWEST }],
  // One sagemaker-xgboost image serves CPU and GPU instances since 1.2-1 (its config lists no processor).
  'xgboost': [{ file: 'xgboost.json', unlistedProcessors: ['cpu', 'gpu'], repository: 'sagemaker-xgboost', newest: SAGEMAKER_NEWEST }],
  'pytorch': [{ file: 'pytorch.json', unlistedProcessors: [], newest: SAGEMAKER_NEWEST }],
  'tensorflow': [{ file: 'tensorflow.json', unlistedProcessors: [], newest: SAGEMAKER_NEWEST }],
  'huggingface-tgi': [
    { file: 'huggingface-llm.json', unlistedProcessors: ['gpu'], newest: SAGEMAKER_NEWEST },
    { file: 'huggingface-llm-neuronx.json', unlistedProcessors: ['neuron'], inferenceTool: 'neuronx', newest: SAGEMAKER_NEWEST_NEURON },
  ],
  'large-model': [
    { file: 'djl-lmi.json', unlistedProcessors: ['gpu'], newest: SAGEMAKER_NEWEST },
    { file: 'djl-neuronx.json', unlistedProcessors: ['neuron'], newest: SAGEMAKER_NEWEST_NEURON },
  ],
};

/** The SDK's processor names mapped to ours. */
function ourProcessor(sdkProcessor: string): ImageProcessor {
  if (sdkProcessor === 'cpu' || sdkProcessor === 'gpu') return sdkProcessor;
  if (sdkProcessor === 'inf2' || sdkProcessor === 'neuronx' || sdkProcessor === 'neuron') return 'neuron';
  throw new Error(`unknown SageMaker processor ${sdkProcessor}`);
}

/** The inference scope of a config: the file itself when it has a top-level `scope`, else its `inference` block. */
function inferenceScope(config: Json, file: string): Json {
  if (Array.isArray(config.scope)) {
    if (!config.scope.includes('inference')) throw new Error(`${file} has no inference scope`);
    return config;
  }
  if (!config.inference) throw new Error(`${file} has no inference block`);
  return config.inference;
}

interface VersionOut {
  version: string;
  aliases: string[];
  repository: string;
  registries: Record<string, string>;
  images: { processor: ImageProcessor; pythonVersion?: string; tag: string }[];
}

function readSageMakerSource(dir: string, source: SageMakerConfigSource): { versions: VersionOut[]; omitted: string[] } {
  const config = JSON.parse(readFileSync(join(dir, 'image_uri_config', source.file), 'utf8')) as Json;
  const scope = inferenceScope(config, source.file);
  const all = Object.keys(scope.versions).filter((v) => source.repository === undefined || scope.versions[v].repository === source.repository);
  const sorted = newestFirst(all);
  const covered = sorted.slice(0, source.newest);
  const aliases: Record<string, string> = scope.version_aliases ?? {};
  const versions = covered.map((version): VersionOut => {
    const versionConfig: Json = scope.versions[version];
    // Older configs nest one block per Python version; newer ones are flat with `py_versions`.
    const flat = 'repository' in versionConfig;
    const pyBlocks: [string | undefined, Json][] = flat
      ? (versionConfig.py_versions?.length ? versionConfig.py_versions.map((py: string) => [py, versionConfig]) : [[undefined, versionConfig]])
      : Object.entries(versionConfig).filter(([key]) => key.startsWith('py'));
    const repositories = new Set(pyBlocks.map(([, block]) => block.repository));
    const registrySets = new Set(pyBlocks.map(([, block]) => JSON.stringify(block.registries)));
    if (repositories.size !== 1 || registrySets.size !== 1) throw new Error(`${source.file} ${version}: Python versions differ in repository or registries`);
    const sdkProcessors: string[] | undefined = scope.processors ?? versionConfig.processors;
    const tagPrefix: string = versionConfig.tag_prefix ?? version;
    const images = pyBlocks.flatMap(([py, block]) => {
      if (!sdkProcessors || sdkProcessors.length === 0) {
        const tag = [tagPrefix, source.inferenceTool, py].filter(Boolean).join('-');
        return source.unlistedProcessors.map((processor) => ({ processor, pythonVersion: py, tag }));
      }
      return sdkProcessors.map((sdkProcessor) => {
        const containerVersion: string | undefined = block.container_version?.[sdkProcessor];
        const tag = [tagPrefix, source.inferenceTool ?? sdkProcessor, py, containerVersion].filter(Boolean).join('-');
        return { processor: ourProcessor(sdkProcessor), pythonVersion: py, tag };
      });
    });
    return {
      version,
      aliases: Object.entries(aliases).filter(([alias, target]) => target === version && alias !== 'latest').map(([alias]) => alias),
      repository: pyBlocks[0][1].repository,
      registries: pyBlocks[0][1].registries,
      images,
    };
  });
  return { versions, omitted: sorted.slice(source.newest) };
}

/** The SDK's `ALTERNATE_DOMAINS` (common_utils.py): regions whose ECR host is not under amazonaws.com. */
function readAlternateDomains(dir: string): Record<string, string> {
  const text = readFileSync(join(dir, 'common_utils.py'), 'utf8');
  const block = /ALTERNATE_DOMAINS\s*=\s*\{([^}]*)\}/.exec(text);
  if (!block) throw new Error('ALTERNATE_DOMAINS not found in common_utils.py');
  const domains: Record<string, string> = {};
  for (const m of block[1].matchAll(/"([a-z0-9-]+)"\s*:\s*"([a-z0-9.-]+)"/g)) domains[m[1]] = m[2];
  return domains;
}

function formatRecord(record: Record<string, string>, perLine: number, indent: string): string {
  const entries = Object.keys(record).sort().map((k) => `${JSON.stringify(k)}: ${JSON.stringify(record[k])}`);
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i += perLine) lines.push(`${indent}${entries.slice(i, i + perLine).join(', ')},`);
  return lines.join('\n');
}

function header(sources: string[]): string {
  return [
    '// GENERATED by scripts/generate-framework-images.ts from the sources below. Do not edit: regenerate.',
    ...sources.map((s) => `// Source: ${s}`),
  ].join('\n');
}

function generateSageMaker(opts: Record<string, string>): string {
  const dir = required(opts, 'sagemaker');
  const source = {
    repository: 'github.com/aws/sagemaker-python-sdk',
    path: 'sagemaker-core/src/sagemaker/core/image_uri_config/*.json, sagemaker-core/src/sagemaker/core/common_utils.py',
    commit: required(opts, 'sagemaker-commit'),
    date: required(opts, 'sagemaker-date'),
  };
  const registryKeys = new Map<string, string>();
  const registries: Record<string, string>[] = [];
  const keyFor = (record: Record<string, string>): string => {
    const id = JSON.stringify(Object.keys(record).sort().map((k) => [k, record[k]]));
    let key = registryKeys.get(id);
    if (!key) {
      key = `r${registries.length}`;
      registryKeys.set(id, key);
      registries.push(record);
    }
    return key;
  };
  const frameworks: string[] = [];
  for (const [name, sources] of Object.entries(SAGEMAKER_SOURCES)) {
    const read = sources.map((s) => readSageMakerSource(dir, s));
    const versions = read.flatMap((r) => r.versions);
    const seen = new Set<string>();
    for (const v of versions) {
      if (seen.has(v.version)) throw new Error(`${name}: version ${v.version} appears in two configs`);
      seen.add(v.version);
    }
    const versionLines = versions.map((v) => {
      const images = v.images.map((i) => `{ processor: '${i.processor}', ${i.pythonVersion ? `pythonVersion: '${i.pythonVersion}', ` : ''}tag: '${i.tag}' }`);
      return `      { version: '${v.version}', aliases: ${JSON.stringify(v.aliases)}, repository: '${v.repository}', registries: '${keyFor(v.registries)}',\n        images: [${images.join(', ')}] },`;
    });
    frameworks.push([
      `  '${name}': {`,
      `    configs: ${JSON.stringify(sources.map((s) => s.file))},`,
      '    versions: [',
      ...versionLines,
      '    ],',
      `    omitted: ${JSON.stringify(read.flatMap((r) => r.omitted))},`,
      '  },',
    ].join('\n'));
  }
  return [
    header([`${source.repository} ${source.path} at ${source.commit} (${source.date})`]),
    "import type { DataSource, SageMakerImageData } from './data-types';",
    '',
    `export const SAGEMAKER_SOURCE: DataSource = ${JSON.stringify(source)};`,
    '',
    `/** Newest versions covered per framework (and per Neuron variant); older ones are listed as omitted. */`,
    `export const SAGEMAKER_NEWEST = { default: ${SAGEMAKER_NEWEST}, neuron: ${SAGEMAKER_NEWEST_NEURON} } as const;`,
    '',
    '/** ECR hosts outside amazonaws.com (the SDK\'s ALTERNATE_DOMAINS). */',
    'export const ECR_ALTERNATE_DOMAINS: Readonly<Record<string, string>> = {',
    formatRecord(readAlternateDomains(dir), 3, '  '),
    '};',
    '',
    '/** Region -> registry account, one entry per distinct map in the SDK configuration. */',
    'export const SAGEMAKER_REGISTRIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {',
    ...registries.map((record, i) => `  r${i}: {\n${formatRecord(record, 4, '    ')}\n  },`),
    '};',
    '',
    'export const SAGEMAKER_IMAGES: SageMakerImageData = {',
    ...frameworks,
    '};',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Google Cloud: Vertex AI prebuilt prediction containers and the Hugging Face TGI DLC.

const VERTEX_FRAMEWORKS: Readonly<Record<string, FrameworkName>> = { sklearn: 'sklearn', xgboost: 'xgboost', tf2: 'tensorflow', pytorch: 'pytorch' };

interface GcpImageOut { version: string; processor: ImageProcessor; uris: Record<string, string> }

function readVertex(file: string): { images: Record<string, GcpImageOut[]>; omitted: Record<string, string[]>; port: number; variables: string[] } {
  const text = readFileSync(file, 'utf8');
  const byFramework: Record<string, Map<string, GcpImageOut>> = {};
  const pattern = /"(us|europe|asia)-docker\.pkg\.dev\/vertex-ai\/prediction\/([a-z0-9]+)-(cpu|gpu)\.(\d+)-(\d+):latest"/g;
  for (const m of text.matchAll(pattern)) {
    const framework = VERTEX_FRAMEWORKS[m[2]];
    if (!framework) continue; // tf (1.x) is long past its end of availability
    const version = `${m[4]}.${m[5]}`;
    const key = `${version}/${m[3]}`;
    const images = (byFramework[framework] ??= new Map());
    const image = images.get(key) ?? { version, processor: m[3] as ImageProcessor, uris: {} };
    image.uris[m[1]] = m[0].slice(1, -1);
    images.set(key, image);
  }
  const images: Record<string, GcpImageOut[]> = {};
  const omitted: Record<string, string[]> = {};
  for (const [framework, map] of Object.entries(byFramework)) {
    const versions = newestFirst([...new Set([...map.values()].map((i) => i.version))]);
    const covered = new Set(versions.slice(0, VERTEX_NEWEST));
    images[framework] = newestFirst(versions.filter((v) => covered.has(v))).flatMap((v) => [...map.values()].filter((i) => i.version === v));
    omitted[framework] = versions.slice(VERTEX_NEWEST);
  }
  const port = /DEFAULT_AIP_HTTP_PORT\s*=\s*(\d+)/.exec(text);
  if (!port) throw new Error('DEFAULT_AIP_HTTP_PORT not found');
  const variables = [...text.matchAll(/^(AIP_[A-Z_]+)\s*=\s*"\1"/gm)].map((m) => m[1]);
  return { images, omitted, port: Number(port[1]), variables };
}

function readHfGcpTgi(file: string): GcpImageOut[] {
  const text = readFileSync(file, 'utf8');
  const section = /## Text Generation Inference \(TGI\)([\s\S]*?)\n## /.exec(text);
  if (!section) throw new Error('TGI section not found in available.mdx');
  const rows = [...section[1].matchAll(/\|\s*(us-docker\.pkg\.dev\/deeplearning-platform-release\/gcr\.io\/huggingface-text-generation-inference-\S+)\s*\|\s*\[text-generation-inference-(gpu|cpu)\.([\d.]+)\]/g)];
  if (rows.length === 0) throw new Error('no TGI rows in available.mdx');
  return rows.map((m) => ({ version: m[3], processor: m[2] as ImageProcessor, uris: { us: m[1] } }));
}

function generateGcp(opts: Record<string, string>): string {
  const vertexSource = {
    repository: 'github.com/googleapis/python-aiplatform',
    path: 'google/cloud/aiplatform/constants/prediction.py',
    commit: required(opts, 'vertex-commit'),
    date: required(opts, 'vertex-date'),
  };
  const hfSource = {
    repository: 'github.com/huggingface/Google-Cloud-Containers',
    path: 'docs/source/containers/available.mdx',
    commit: required(opts, 'hf-gcp-commit'),
    date: required(opts, 'hf-gcp-date'),
  };
  const vertex = readVertex(required(opts, 'vertex'));
  const tgi = readHfGcpTgi(required(opts, 'hf-gcp'));
  const imageLine = (i: GcpImageOut) => `      { version: '${i.version}', processor: '${i.processor}', uris: ${JSON.stringify(i.uris)} },`;
  const block = (name: string, publisher: string, images: GcpImageOut[], omitted: string[]) => [
    `  '${name}': {`,
    `    publisher: '${publisher}',`,
    '    images: [',
    ...images.map(imageLine),
    '    ],',
    `    omitted: ${JSON.stringify(omitted)},`,
    '  },',
  ].join('\n');
  return [
    header([
      `${vertexSource.repository} ${vertexSource.path} at ${vertexSource.commit} (${vertexSource.date})`,
      `${hfSource.repository} ${hfSource.path} at ${hfSource.commit} (${hfSource.date})`,
    ]),
    "import type { FrameworkName } from '../types';",
    "import type { DataSource, GcpFramework } from './data-types';",
    '',
    `export const VERTEX_SOURCE: DataSource = ${JSON.stringify(vertexSource)};`,
    `export const HF_GCP_SOURCE: DataSource = ${JSON.stringify(hfSource)};`,
    '',
    `/** Newest Vertex AI minor versions covered per framework. */`,
    `export const VERTEX_NEWEST = ${VERTEX_NEWEST};`,
    '',
    '/** The port Vertex AI serves on by default, and the AIP_* variables it sets for a serving container. */',
    `export const VERTEX_DEFAULT_HTTP_PORT = ${vertex.port};`,
    `export const VERTEX_AIP_VARIABLES: readonly string[] = ${JSON.stringify(vertex.variables)};`,
    '',
    'export const GCP_IMAGES: Readonly<Partial<Record<FrameworkName, GcpFramework>>> = {',
    ...Object.entries(vertex.images).map(([name, images]) => block(name, 'vertex-prediction', images, vertex.omitted[name])),
    block('huggingface-tgi', 'huggingface-dlc', tgi, []),
    '};',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------

function main(argv: readonly string[]): void {
  const [mode, ...rest] = argv;
  if (mode === 'data') {
    const opts = args(rest);
    writeFileSync(join(OUT_DIR, 'sagemaker-images.generated.ts'), generateSageMaker(opts));
    writeFileSync(join(OUT_DIR, 'gcp-images.generated.ts'), generateGcp(opts));
    console.log(`wrote ${OUT_DIR}/{sagemaker,gcp}-images.generated.ts`);
  } else if (mode === 'docs') {
    // Imported here so `data` runs before the generated files exist.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderFrameworksDoc } = require('../lib/core/frameworks/private/docs-table') as typeof import('../lib/core/frameworks/private/docs-table');
    const out = join(__dirname, '..', 'docs', 'frameworks.md');
    writeFileSync(out, renderFrameworksDoc());
    console.log(`wrote ${out}`);
  } else {
    throw new Error('usage: generate-framework-images.ts data --sagemaker <dir> ... | docs');
  }
}

main(process.argv.slice(2));
