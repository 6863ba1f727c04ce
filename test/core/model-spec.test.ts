import { ValidationError } from '../../lib/core/errors';
import { isDefaultServing, isResolvedModelSpec, ModelSpec, validateModelSpec } from '../../lib/core/model-spec';

const base: ModelSpec = { name: 'churn-model', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1' };

function problemsOf(spec: ModelSpec): readonly string[] {
  try {
    validateModelSpec(spec);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe('validateModelSpec', () => {
  it('fills in the documented defaults', () => {
    const resolved = validateModelSpec(base);
    expect(resolved.compute.id).toBe('cpu-xlarge');
    expect(resolved.compute.aws.machineType).toBe('ml.m5.xlarge');
    expect(resolved.scaling).toEqual({ minInstances: 1, maxInstances: 4, targetInvocationsPerInstancePerMinute: 100, concurrency: 8 });
    expect(resolved.monitoring).toMatchObject({ enabled: true, latencyP99Ms: 2000, errorRatePercent: 5, driftThreshold: 0.1, psiThreshold: 0.2, driftFeatures: [], alarmEmails: [] });
  });

  it('accepts a SageMaker instance type from the catalog as the compute class', () => {
    expect(validateModelSpec({ ...base, compute: 'ml.g5.xlarge' }).compute.id).toBe('gpu-a10g');
  });

  it('raises maxInstances to minInstances when only the minimum is given', () => {
    expect(validateModelSpec({ ...base, scaling: { minInstances: 6 } }).scaling.maxInstances).toBe(6);
  });

  it('rejects an unknown compute class, listing what is allowed', () => {
    expect(problemsOf({ ...base, compute: 'ml.x99.huge' })).toEqual([
      expect.stringMatching(/^ModelSpec spec.compute: got "ml.x99.huge"; expected a compute class \(cpu-xlarge, .*gpu-t4.*\)/),
    ]);
  });

  it('rejects the retired Standard_NC6 and names its replacement', () => {
    expect(problemsOf({ ...base, compute: 'Standard_NC6' })).toEqual([
      expect.stringMatching(/spec.compute: got "Standard_NC6"; expected a current size: Standard_NC6 is retired, use Standard_NC4as_T4_v3/),
    ]);
  });

  it('rejects bad names, images and min > max scaling, all in one error', () => {
    const problems = problemsOf({ ...base, name: 'Churn_Model', image: 'has space', scaling: { minInstances: 5, maxInstances: 2 } });
    expect(problems).toEqual([
      expect.stringContaining('ModelSpec spec.name: got "Churn_Model"; expected 2-32 lowercase letters'),
      expect.stringContaining('ModelSpec spec.image: got "has space"'),
      'ModelSpec spec.scaling.minInstances: got 5; expected at most scaling.maxInstances (2)',
    ]);
  });

  it('rejects monitoring thresholds out of range, duplicate features and bad emails', () => {
    const problems = problemsOf({
      ...base,
      monitoring: { driftThreshold: 1.5, errorRatePercent: 0, driftFeatures: ['age', 'age', 'bad feature'], alarmEmails: ['nope'] },
    });
    expect(problems).toEqual(expect.arrayContaining([
      'ModelSpec spec.monitoring.driftThreshold: got 1.5; expected a number from 0.001 to 1',
      'ModelSpec spec.monitoring.errorRatePercent: got 0; expected a number from 0.01 to 100',
      'ModelSpec spec.monitoring.driftFeatures: got "age"; expected each feature named once',
      expect.stringContaining('spec.monitoring.driftFeatures[2]: got "bad feature"'),
      'ModelSpec spec.monitoring.alarmEmails[0]: got "nope"; expected an email address',
    ]));
  });

  it('rejects non-integer instance counts and a zero budget', () => {
    expect(problemsOf({ ...base, scaling: { maxInstances: 2.5 }, monthlyBudgetUsd: 0 })).toEqual([
      'ModelSpec spec.scaling.maxInstances: got 2.5; expected an integer from 1 to 1000',
      'ModelSpec spec.monthlyBudgetUsd: got 0; expected a number from 1 to 10000000',
    ]);
  });
});

describe('validateModelSpec knows the whole shape', () => {
  const loose = (spec: Record<string, unknown>) => problemsOf(spec as unknown as ModelSpec);

  it('refuses an unknown key with a did-you-mean instead of ignoring it', () => {
    expect(loose({ ...base, computee: 'gpu-t4' })).toEqual([
      expect.stringMatching(/^ModelSpec spec\.computee: got "gpu-t4"; expected no such key: a model spec takes name, .*\(did you mean "compute"\?\)$/),
    ]);
    expect(loose({ ...base, monitoring: { latencyP99: 500 } })).toEqual([
      expect.stringMatching(/^ModelSpec spec\.monitoring\.latencyP99: got 500; expected no such key: a monitoring block takes .*\(did you mean "latencyP99Ms"\?\)$/),
    ]);
  });

  it('reports wrong types as validation problems naming the prop, never a TypeError', () => {
    expect(loose({ name: 123, image: base.image })).toEqual(['ModelSpec spec.name: got 123; expected a string']);
    expect(loose({ ...base, modelArtifact: 123 })).toEqual(['ModelSpec spec.modelArtifact: got 123; expected a string']);
    expect(loose({ ...base, monitoring: { alarmEmails: 'a@x.com' } })).toEqual(['ModelSpec spec.monitoring.alarmEmails: got "a@x.com"; expected a list of strings']);
    expect(loose({ ...base, monitoring: { driftFeatures: 'feat' } })).toEqual(['ModelSpec spec.monitoring.driftFeatures: got "feat"; expected a list of strings']);
    expect(loose({ ...base, scaling: { maxInstances: '4' } })).toEqual(['ModelSpec spec.scaling.maxInstances: got "4"; expected a number']);
    expect(loose({ ...base, environment: { MODEL: { nested: true }, OK: 'yes' } })).toEqual(['ModelSpec spec.environment.MODEL: got {"nested":true}; expected a string value']);
    expect(loose({ ...base, environment: 'A=1' })).toEqual(['ModelSpec spec.environment: got "A=1"; expected an object whose values are strings']);
    expect(loose({ ...base, scaling: 3 })).toEqual(['ModelSpec spec.scaling: got 3; expected a scaling block']);
  });

  it('requires a name and an image, and refuses a spec that is not an object', () => {
    expect(loose({ image: base.image })).toEqual([expect.stringMatching(/^ModelSpec spec\.name: got undefined; expected a model name/)]);
    expect(loose({ name: 'churn' })).toEqual([expect.stringMatching(/^ModelSpec spec\.image: got undefined; expected a container image URI/)]);
    expect(problemsOf(undefined as unknown as ModelSpec)).toEqual(expect.arrayContaining(['ModelSpec spec: got undefined; expected a model spec']));
  });
});

describe('validateModelSpec with tokens', () => {
  const numberToken = -1.8881545897087626e289;

  it('accepts number tokens for scaling bounds without comparing them', () => {
    const resolved = validateModelSpec({ ...base, scaling: { minInstances: 2, maxInstances: numberToken } });
    expect(resolved.scaling.maxInstances).toBe(numberToken);
    expect(problemsOf({ ...base, scaling: { minInstances: numberToken, maxInstances: numberToken, concurrency: numberToken } })).toEqual([]);
  });

  it('accepts string tokens for image and artifact, and list tokens for emails and features', () => {
    expect(problemsOf({
      ...base,
      image: '${Token[TOKEN.21]}',
      modelArtifact: '${TfToken[TOKEN.3]}',
      monitoring: { alarmEmails: ['#{Token[TOKEN.19]}'], driftFeatures: ['#{TfToken[TOKEN.7]}'] },
    })).toEqual([]);
  });

  it('refuses a token as the compute class, saying why and what to use on AWS', () => {
    expect(problemsOf({ ...base, compute: '${Token[TOKEN.4]}' })).toEqual([
      expect.stringMatching(/spec\.compute: got "\$\{Token\[TOKEN\.4\]\}"; expected a literal compute class id: .*instanceType prop/),
    ]);
  });
});

describe('resolved specs', () => {
  it('marks a valid spec as resolved, so a child handed it does not validate it again', () => {
    const resolved = validateModelSpec(base);
    expect(isResolvedModelSpec(resolved)).toBe(true);
    expect(validateModelSpec(resolved)).toBe(resolved);
    expect(isResolvedModelSpec({ ...resolved })).toBe(false);
  });
});

describe('serving contract', () => {
  it("defaults to SageMaker's contract: port 8080, GET /ping, POST /invocations", () => {
    const resolved = validateModelSpec(base);
    expect(resolved.serving).toEqual({ port: 8080, healthPath: '/ping', predictPath: '/invocations' });
    expect(isDefaultServing(resolved.serving)).toBe(true);
  });

  it('takes any port and routes, filling the ones left out', () => {
    const resolved = validateModelSpec({ ...base, serving: { port: 8000, predictPath: '/v1/predict' } });
    expect(resolved.serving).toEqual({ port: 8000, healthPath: '/ping', predictPath: '/v1/predict' });
    expect(isDefaultServing(resolved.serving)).toBe(false);
  });

  it('refuses a port out of range and paths that are not absolute', () => {
    expect(problemsOf({ ...base, serving: { port: 70000, healthPath: 'health', predictPath: '/predict?x=1' } })).toEqual([
      'ModelSpec spec.serving.port: got 70000; expected an integer from 1 to 65535',
      "ModelSpec spec.serving.healthPath: got \"health\"; expected an absolute URL path starting with '/', without spaces or query string",
      "ModelSpec spec.serving.predictPath: got \"/predict?x=1\"; expected an absolute URL path starting with '/', without spaces or query string",
    ]);
  });
});

describe('monitoring.quality', () => {
  it('resolves the quality block with its defaults, and leaves it out when not asked for', () => {
    expect(validateModelSpec(base).monitoring.quality).toBeUndefined();
    const quality = validateModelSpec({ ...base, monitoring: { quality: { problemType: 'BinaryClassification', minAccuracy: 0.9 } } }).monitoring.quality;
    expect(quality).toMatchObject({ problemType: 'BinaryClassification', minAccuracy: 0.9, windowHours: 24, labelTimeoutHours: 24, minSamples: 30 });
  });

  it('reports quality problems under spec.monitoring.quality', () => {
    expect(problemsOf({ ...base, monitoring: { quality: { problemType: 'Regression', minAccuracy: 0.9 } } })).toEqual([
      expect.stringMatching(/^ModelSpec spec\.monitoring\.quality\.minAccuracy: got 0\.9; expected no value for Regression/),
    ]);
  });
});

describe('what serves the model', () => {
  it('takes a framework or an open model instead of an image', () => {
    const framework = validateModelSpec({ name: 'churn', framework: { name: 'sklearn', version: '1.2-1' } });
    expect(framework).toMatchObject({ image: undefined, framework: { name: 'sklearn', version: '1.2-1' } });
    const open = validateModelSpec({ name: 'chat', huggingFaceModelId: 'mistralai/Mistral-7B-Instruct-v0.3', compute: 'gpu-a10g' });
    expect(open.huggingFaceModelId).toBe('mistralai/Mistral-7B-Instruct-v0.3');
    expect(validateModelSpec({ name: 'chat', huggingFaceModelId: 'org/model', framework: { name: 'huggingface-tgi', version: '3.3.6' } }).framework?.name).toBe('huggingface-tgi');
  });

  it('refuses none of them, two of them, or a framework that cannot serve an open model', () => {
    expect(problemsOf({ name: 'churn' } as ModelSpec)).toEqual([expect.stringMatching(/spec\.image: got undefined; expected a container image URI .*, or spec\.framework \/ spec\.huggingFaceModelId instead/)]);
    expect(problemsOf({ ...base, framework: { name: 'sklearn', version: '1.2-1' } })).toEqual([
      expect.stringMatching(/spec\.framework: got .*; expected no value next to spec\.image: give exactly one of image, framework or huggingFaceModelId/),
    ]);
    expect(problemsOf({ name: 'chat', huggingFaceModelId: 'org/model', framework: { name: 'sklearn', version: '1.2-1' } })).toEqual([
      expect.stringMatching(/spec\.framework\.name: got "sklearn"; expected "huggingface-tgi" or "large-model" with spec\.huggingFaceModelId/),
    ]);
    expect(problemsOf({ name: 'chat', huggingFaceModelId: 'not a model id' })).toEqual([expect.stringMatching(/spec\.huggingFaceModelId: got "not a model id"; expected a Hugging Face model id/)]);
    expect(problemsOf({ name: 'churn', framework: { name: 'sklearm', version: '1.2-1' } })).toEqual([expect.stringMatching(/spec\.framework\.name: got "sklearm"; .*did you mean "sklearn"/)]);
  });
});

describe('drift verdict settings', () => {
  it('keeps the keys left out undefined (the drift job applies its own defaults) and checks the ones given', () => {
    expect(validateModelSpec(base).monitoring.driftPValue).toBeUndefined();
    expect(validateModelSpec({ ...base, monitoring: { driftPValue: 0.05, driftCorrection: 'bonferroni', missingValues: ['?'] } }).monitoring)
      .toMatchObject({ driftPValue: 0.05, driftCorrection: 'bonferroni', missingValues: ['?'] });
    expect(problemsOf({ ...base, monitoring: { driftPValue: 0.9, driftCorrection: 'holm' as 'bh', datasetDriftShare: 0, driftMinWindowRows: 500, driftLargeWindowRows: 100 } })).toEqual([
      expect.stringMatching(/spec\.monitoring\.driftCorrection: got "holm"; expected one of "bh", "bonferroni", "none"/),
      'ModelSpec spec.monitoring.driftPValue: got 0.9; expected a number from 1e-9 to 0.5',
      'ModelSpec spec.monitoring.driftMinWindowRows: got 500; expected at most monitoring.driftLargeWindowRows (100)',
      'ModelSpec spec.monitoring.datasetDriftShare: got 0; expected a number from 0.01 to 1',
    ]);
  });
});
