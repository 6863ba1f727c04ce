// Google Cloud: Vertex AI's prebuilt prediction containers and the Hugging Face TGI container Google
// publishes, resolved for our serving plane (Cloud Run v2) with the variables, port and routes they need.
import { isTokenString } from '../../errors';
import type { FrameworkName, ResolvedFrameworkImage } from '../types';
import { FrameworkRequest, gpuCountOf, oneOf, processorOf, refuseProcessor } from './common';
import type { GcpFramework, GcpImage, GcpRegistryGroup } from './data-types';
import { GCP_IMAGES, HF_GCP_SOURCE, VERTEX_DEFAULT_HTTP_PORT, VERTEX_NEWEST, VERTEX_SOURCE } from './gcp-images.generated';
import { majorMinor } from './versions';

/** Our serving contract's routes: the Vertex images serve on whatever AIP_*_ROUTE says, so we point them here. */
const HEALTH_PATH = '/ping';
const PREDICT_PATH = '/invocations';

/** Frameworks Google publishes no image for that runs on Cloud Run, and why. */
export const GCP_REFUSALS: Readonly<Partial<Record<FrameworkName, string>>> = {
  'large-model': 'Google publishes no large-model (DJL LMI) image; its Model Garden vLLM image has only dated tags, no versions to pin: serve an open LLM with framework "huggingface-tgi" on Cloud Run, or with serving "vertex-ai" and spec.huggingFaceModelId',
};

/** What the artifact must look like for each Vertex AI prebuilt container (Google's "export model artifacts" guide). */
const VERTEX_ARTIFACTS: Readonly<Partial<Record<FrameworkName, string>>> = {
  sklearn: 'a gs:// directory holding model.joblib or model.pkl',
  xgboost: 'a gs:// directory holding model.bst, model.joblib or model.pkl',
  tensorflow: 'a gs:// directory holding a TensorFlow SavedModel (saved_model.pb and variables/)',
  pytorch: 'a gs:// directory holding a TorchServe archive, model.mar',
};

/** The multi-region registry nearest a region (every group serves the same image; a far one only adds pull latency). */
export function gcpRegistryGroup(region: string | undefined): GcpRegistryGroup | undefined {
  if (region === undefined || isTokenString(region)) return undefined;
  if (/^(europe|me|africa)-/.test(region)) return 'europe';
  if (/^(asia|australia)-/.test(region)) return 'asia';
  if (/^(us|northamerica|southamerica)-/.test(region)) return 'us';
  return undefined;
}

/** A requested version matches an image of the same major.minor (Vertex publishes one per minor) or exactly. */
function matches(framework: GcpFramework, image: GcpImage, version: string): boolean {
  if (image.version === version) return true;
  const wanted = majorMinor(version);
  if (wanted === undefined || wanted !== majorMinor(image.version)) return false;
  // A Hugging Face release is pinned: 2.4 means 2.4.x, 2.4.1 does not mean 2.4.0.
  return framework.publisher === 'vertex-prediction' || version === wanted;
}

function sourceOf(framework: GcpFramework): string {
  const s = framework.publisher === 'vertex-prediction' ? VERTEX_SOURCE : HF_GCP_SOURCE;
  return `${s.repository} ${s.path} at ${s.commit} (${s.date})`;
}

/** Resolves a framework to a Google-published image that runs on Cloud Run; records problems otherwise. */
export function resolveGcpFrameworkImage(request: FrameworkRequest): ResolvedFrameworkImage | undefined {
  const refusal = GCP_REFUSALS[request.name];
  const framework = GCP_IMAGES[request.name];
  if (refusal !== undefined || framework === undefined) {
    request.errors.add(request.prop, { name: request.name, version: request.version }, `a framework with a prebuilt image on Cloud Run: ${refusal ?? 'none is published'}`);
    return undefined;
  }
  const versions = [...new Set(framework.images.map((i) => i.version))];
  const candidates = framework.images.filter((i) => matches(framework, i, request.version));
  if (candidates.length === 0) {
    const coverage = framework.publisher === 'vertex-prediction'
      ? ` (Vertex AI publishes one image per minor version; we cover the ${VERTEX_NEWEST} newest, older ones reach Google's end of availability)`
      : ' (the Hugging Face TGI releases Google publishes)';
    request.errors.add(`${request.prop}.version`, request.version, `a ${request.name} version Google publishes, ${oneOf(request.version, versions)}${coverage}`);
    return undefined;
  }
  const processor = processorOf(request.compute);
  const image = candidates.find((i) => i.processor === processor);
  if (!image) {
    refuseProcessor(request, candidates[0].version, candidates.map((i) => i.processor), ' on Google Cloud');
    return undefined;
  }
  const notes: string[] = [];
  const group = gcpRegistryGroup(request.region);
  const uri = (group && image.uris[group]) ?? image.uris.us;
  if (uri === undefined) throw new Error(`no us URI for ${request.name} ${image.version}`); // the generator always writes one
  if (group === undefined) notes.push(`the ${request.region === undefined ? 'unknown' : 'unmapped'} region pulls from us-docker.pkg.dev (every registry group serves the same image)`);
  else if (image.uris[group] === undefined) notes.push(`published only in us-docker.pkg.dev; ${request.region} pulls it from there`);
  if (request.pythonVersion !== undefined) notes.push(`pythonVersion ${request.pythonVersion} does not apply: Google's image carries one Python`);

  const artifact = request.modelArtifact;
  if (artifact !== undefined && !isTokenString(artifact) && !artifact.startsWith('gs://')) {
    request.errors.add(request.artifactProp, artifact, `a gs:// URI: the ${request.name} image on Google Cloud downloads the artifact from Cloud Storage itself`);
    return undefined;
  }
  const artifactEnv: Record<string, string> = artifact === undefined ? {} : { AIP_STORAGE_URI: artifact };
  const base = {
    cloud: 'gcp' as const,
    framework: request.name,
    version: image.version,
    processor,
    image: { kind: 'uri' as const, uri },
    modelArtifactVariable: 'AIP_STORAGE_URI',
    source: sourceOf(framework),
  };

  if (framework.publisher === 'huggingface-dlc') {
    const modelId = request.huggingFaceModelId;
    return {
      ...base,
      // The TGI launcher reads MODEL_ID and NUM_SHARD; the Google build's entrypoint downloads a gs:// AIP_STORAGE_URI
      // to local disk and serves it when no model id is given. The launcher listens on Cloud Run's PORT.
      environment: { ...(modelId === undefined ? artifactEnv : { MODEL_ID: modelId }), NUM_SHARD: String(gpuCountOf(request.compute, 'gcp')) },
      serving: { port: VERTEX_DEFAULT_HTTP_PORT, healthPath: HEALTH_PATH, predictPath: PREDICT_PATH, requestFormat: 'text-generation' },
      notes: [
        ...notes,
        modelId === undefined ? 'serves the Hugging Face weights under the gs:// model artifact (AIP_STORAGE_URI); the service account needs read access to its bucket' : `downloads ${modelId} from the Hugging Face Hub at start; gated models need HF_TOKEN (from Secret Manager, not a literal)`,
        'TGI answers /ping and /invocations ({"inputs": ...} or OpenAI-style messages) on the port Cloud Run passes in PORT',
      ],
    };
  }
  return {
    ...base,
    environment: {
      AIP_HTTP_PORT: String(VERTEX_DEFAULT_HTTP_PORT),
      AIP_HEALTH_ROUTE: HEALTH_PATH,
      AIP_PREDICT_ROUTE: PREDICT_PATH,
      ...artifactEnv,
    },
    serving: { port: VERTEX_DEFAULT_HTTP_PORT, healthPath: HEALTH_PATH, predictPath: PREDICT_PATH, requestFormat: 'vertex-instances' },
    notes: [
      ...notes,
      `AIP_STORAGE_URI must name ${VERTEX_ARTIFACTS[request.name]}; the Cloud Run service account needs read access to its bucket`,
      'requests and responses use Vertex AI\'s envelope: {"instances": [...]} in, {"predictions": [...]} out',
      'Google supports these images only with the :latest tag, which it patches in place',
      'Google documents these images for Vertex AI endpoints; outside Vertex they need the AIP_* variables set here (the Vertex AI SDK\'s local run sets the same four)',
    ],
  };
}
