// Renders docs/frameworks.md from the image data and the resolvers, so the guide never drifts from the code
// (scripts/generate-framework-images.ts docs writes it; a test fails when the file is stale).
import type { Cloud } from '../../compute-catalog';
import { ValidationErrors } from '../../errors';
import { resolveFrameworkImage } from '../resolve-framework-image';
import { FRAMEWORK_NAMES, FrameworkName, ImageProcessor, ResolvedFrameworkImage } from '../types';
import { AZURE_REFUSALS } from './azure';
import type { DataSource } from './data-types';
import { GCP_REFUSALS } from './gcp';
import { GCP_IMAGES, HF_GCP_SOURCE, VERTEX_NEWEST, VERTEX_SOURCE } from './gcp-images.generated';
import { SAGEMAKER_IMAGES, SAGEMAKER_NEWEST, SAGEMAKER_REGISTRIES, SAGEMAKER_SOURCE } from './sagemaker-images.generated';

const cell = (text: string) => text.replace(/\|/g, '\\|');
const code = (text: string) => `\`${text}\``;
const source = (s: DataSource) => `${s.repository}, \`${s.path}\`, commit \`${s.commit.slice(0, 12)}\` (${s.date.slice(0, 10)})`;
const unique = <T>(values: readonly T[]) => [...new Set(values)];

function awsSummary(name: FrameworkName): string {
  const f = SAGEMAKER_IMAGES[name];
  const parts = unique(f.versions.map((v) => v.repository)).map((repo) => {
    const versions = f.versions.filter((v) => v.repository === repo);
    const byProcessor = unique(versions.flatMap((v) => v.images.map((i) => i.processor)));
    return byProcessor.map((p) => {
      const vs = versions.filter((v) => v.images.some((i) => i.processor === p)).map((v) => v.version);
      return `${code(repo)} ${p}: ${vs.join(', ')}`;
    }).join('<br>');
  });
  return parts.join('<br>');
}

function gcpSummary(name: FrameworkName): string {
  const refusal = GCP_REFUSALS[name];
  const f = GCP_IMAGES[name];
  if (refusal !== undefined || f === undefined) return `no: ${refusal ?? 'none published'}`;
  const processors = unique(f.images.map((i) => i.processor));
  const publisher = f.publisher === 'vertex-prediction' ? 'Vertex AI prebuilt' : 'Hugging Face DLC';
  return `${publisher} ${processors.map((p) => `${p}: ${f.images.filter((i) => i.processor === p).map((i) => i.version).join(', ')}`).join('; ')}`;
}

/** Resolves the newest covered version on a processor the framework has, for the contract table. */
function sample(cloud: Cloud, name: FrameworkName): ResolvedFrameworkImage | undefined {
  const candidates: { version: string; processor: ImageProcessor }[] = cloud === 'aws'
    ? SAGEMAKER_IMAGES[name].versions.flatMap((v) => v.images.map((i) => ({ version: v.version, processor: i.processor })))
    : (GCP_IMAGES[name]?.images ?? []).map((i) => ({ version: i.version, processor: i.processor }));
  const pick = candidates.find((c) => c.processor === 'cpu') ?? candidates.find((c) => c.processor === 'gpu');
  // The table shows CPU and GPU images; Neuron variants are listed with the versions.
  if (!pick) return undefined;
  const errors = new ValidationErrors('docs');
  return resolveFrameworkImage({
    cloud,
    region: cloud === 'gcp' ? 'us-central1' : undefined,
    framework: { name, version: pick.version },
    compute: { kind: pick.processor === 'cpu' ? 'cpu' : 'gpu' },
  }, errors);
}

function contractRows(): string[] {
  const rows: string[] = [];
  for (const cloud of ['aws', 'gcp'] as const) {
    for (const name of FRAMEWORK_NAMES) {
      const r = sample(cloud, name);
      if (!r) continue;
      const env = Object.entries(r.environment).map(([k, v]) => `${k}=${v}`).join('<br>') || '-';
      const s = r.serving;
      rows.push(`| ${cloud === 'aws' ? 'AWS' : 'GCP'} | ${name} | ${s.port} | ${code(s.healthPath)} | ${code(s.predictPath)} | ${s.requestFormat} | ${cell(env)} | ${r.modelArtifactVariable ?? 'mounted by SageMaker at /opt/ml/model'} |`);
    }
  }
  return rows;
}

function awsVersionRows(): string[] {
  return FRAMEWORK_NAMES.flatMap((name) => SAGEMAKER_IMAGES[name].versions.map((v) => {
    const python = unique(v.images.map((i) => i.pythonVersion ?? '-')).join(', ');
    const tags = unique(v.images.map((i) => i.tag)).map(code).join('<br>');
    const regions = Object.keys(SAGEMAKER_REGISTRIES[v.registries]).length;
    return `| ${name} | ${v.version} | ${v.aliases.join(', ') || '-'} | ${unique(v.images.map((i) => i.processor)).join(', ')} | ${python} | ${code(v.repository)} | ${tags} | ${regions} |`;
  }));
}

function gcpVersionRows(): string[] {
  return FRAMEWORK_NAMES.flatMap((name) => (GCP_IMAGES[name]?.images ?? []).map((i) =>
    `| ${name} | ${i.version} | ${i.processor} | ${code(i.uris.us ?? '')} | ${Object.keys(i.uris).join(', ')} |`));
}

/** The whole guide. */
export function renderFrameworksDoc(): string {
  const omittedAws = FRAMEWORK_NAMES.map((n) => `- ${n}: ${SAGEMAKER_IMAGES[n].omitted.join(', ') || 'none'}`);
  const omittedGcp = FRAMEWORK_NAMES.filter((n) => GCP_IMAGES[n]).map((n) => `- ${n}: ${GCP_IMAGES[n]!.omitted.join(', ') || 'none'}`);
  return [
    '# Framework presets: prebuilt serving images',
    '',
    '<!-- GENERATED by `npx tsx scripts/generate-framework-images.ts docs` from lib/core/frameworks. Do not edit: test/core/frameworks/data.test.ts fails when this file is stale. -->',
    '',
    '`spec.framework: { name, version, pythonVersion? }` serves a model file on the cloud\'s prebuilt serving image instead of',
    'an image of your own; `spec.huggingFaceModelId` serves an open model from the Hugging Face Hub on the text-generation image.',
    'The compute class picks the processor: a GPU class gets the GPU image. Unknown versions, and frameworks with no image for',
    'the region or processor, are refused at synth time with what exists. Names: ' + FRAMEWORK_NAMES.map(code).join(', ') + '.',
    '',
    '## Sources',
    '',
    `- AWS: the SageMaker Python SDK's image URI configuration, ${source(SAGEMAKER_SOURCE)}. We cover the ${SAGEMAKER_NEWEST.default} newest versions per framework (${SAGEMAKER_NEWEST.neuron} per Neuron variant).`,
    `- Google Cloud: the Vertex AI SDK's list of prebuilt prediction containers, ${source(VERTEX_SOURCE)}. We cover the ${VERTEX_NEWEST} newest minor versions; Google removes older images at their end of availability (Vertex AI framework support policy).`,
    `- Google Cloud, Hugging Face TGI: ${source(HF_GCP_SOURCE)}.`,
    '- Azure: no prebuilt image runs a model file on its own in Container Apps (see "Refused" below).',
    '',
    '## What runs where',
    '',
    '| framework | AWS: SageMaker (repository, processor: versions) | Google Cloud: Cloud Run | Azure: Container Apps |',
    '| --- | --- | --- | --- |',
    ...FRAMEWORK_NAMES.map((n) => `| ${n} | ${awsSummary(n)} | ${cell(gcpSummary(n))} | no (see below) |`),
    '',
    '## Serving contract of each image',
    '',
    'What the container needs and answers (newest version, CPU image where one exists). The stacks set these variables;',
    'the spec\'s own `environment` is merged over them. GCP images point the Vertex AI routes at our `/ping` and `/invocations`,',
    'but their request body differs from our CSV/JSON contract: `vertex-instances` is `{"instances": [...]}` in, `{"predictions": [...]}` out.',
    '',
    '| cloud | framework | port | health | predict | request format | environment | model artifact |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...contractRows(),
    '',
    '## AWS versions',
    '',
    'The registry account differs per region (read from the SDK configuration, never typed). A stack whose region is known',
    'at synth time gets a literal URI; an env-agnostic stack gets a CloudFormation mapping of every region below and',
    '`Fn::FindInMap` on `AWS::Region`.',
    '',
    '| framework | version | aliases | processors | Python | repository | tags | regions |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...awsVersionRows(),
    '',
    'Older versions the SDK lists and we leave out (pin their image with `spec.image`):',
    '',
    ...omittedAws,
    '',
    '## Google Cloud versions',
    '',
    'Every image is published in `us-`, `europe-` and `asia-docker.pkg.dev` unless listed otherwise; the stack pulls from the group',
    'of its region (`europe-*`, `me-*`, `africa-*`: europe; `asia-*`, `australia-*`: asia; else us). A version matches on major.minor.',
    '',
    '| framework | version | processor | image (us) | registry groups |',
    '| --- | --- | --- | --- | --- |',
    ...gcpVersionRows(),
    '',
    'Older versions the source lists and we leave out:',
    '',
    ...omittedGcp,
    '',
    '## Refused',
    '',
    ...FRAMEWORK_NAMES.filter((n) => GCP_REFUSALS[n]).map((n) => `- Google Cloud, ${n}: ${GCP_REFUSALS[n]}.`),
    ...unique(FRAMEWORK_NAMES.map((n) => AZURE_REFUSALS[n])).map((reason) =>
      `- Azure, ${FRAMEWORK_NAMES.filter((n) => AZURE_REFUSALS[n] === reason).join(', ')}: ${reason}.`),
    '',
  ].join('\n');
}
