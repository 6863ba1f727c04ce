import { PredictFetch, httpPredictor, numericPrediction, parseHeader, parsePredictions } from '../../../lib/runtime/explain/http-predictor';

function stubFetch(answer: (body: string) => { status?: number; type?: string; text: string }) {
  const calls: { url: string; headers: Record<string, string>; body: string }[] = [];
  const fetch: PredictFetch = async (url, init) => {
    calls.push({ url, headers: init.headers, body: init.body });
    const a = answer(init.body);
    const status = a.status ?? 200;
    return { ok: status < 300, status, headers: { get: (n: string) => (n === 'content-type' ? a.type ?? 'text/csv' : null) }, text: async () => a.text };
  };
  return { fetch, calls };
}

describe('httpPredictor', () => {
  it('posts to the predict path and tags every call with an explain inference id and a fresh token', async () => {
    const { fetch, calls } = stubFetch((body) => ({ text: body.split('\n').map(() => '1').join('\n') }));
    let n = 0;
    const predict = httpPredictor({ endpointUrl: 'https://model.example/', predictPath: '/v1/score', inferenceIdHeader: 'X-Inference-Id', token: async () => `t${(n += 1)}`, batchSize: 1, fetch });

    await predict([[1], [2]], ['x']);

    expect(calls.map((c) => c.url)).toEqual(['https://model.example/v1/score', 'https://model.example/v1/score']);
    expect(calls.map((c) => c.headers['X-Inference-Id'])).toEqual(['deploy-ai-smarter-explain-1', 'deploy-ai-smarter-explain-2']);
    expect(calls.map((c) => c.headers.Authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('posts CSV batches to /invocations with the extra headers and reads CSV answers', async () => {
    const { fetch, calls } = stubFetch((body) => ({ text: body.split('\n').map((l) => Number(l.split(',')[0]) * 2).join('\n') }));
    const predict = httpPredictor({ endpointUrl: 'https://model.example/', headers: { Authorization: 'Bearer t' }, batchSize: 2, fetch });

    const predictions = await predict([[1, 'a'], [2, 'b,c'], [3, null]], ['x', 'y']);

    expect(predictions).toEqual([2, 4, 6]);
    expect(calls.map((c) => c.url)).toEqual(['https://model.example/invocations', 'https://model.example/invocations']);
    expect(calls[0].body).toBe('1,a\n2,"b,c"');
    expect(calls[1].body).toBe('3,');
    expect(calls[0].headers).toEqual({ 'Content-Type': 'text/csv', Accept: 'text/csv, application/json', Authorization: 'Bearer t' });
  });

  it('sends {"instances": [...]} for JSON and keeps a URL that already ends with /invocations', async () => {
    const { fetch, calls } = stubFetch(() => ({ type: 'application/json', text: '{"predictions": [{"score": 0.25}]}' }));
    const predict = httpPredictor({ endpointUrl: 'http://127.0.0.1:8080/invocations', contentType: 'application/json', fetch });

    expect(await predict([[1, 2]], ['a', 'b'])).toEqual([0.25]);
    expect(calls[0]).toMatchObject({ url: 'http://127.0.0.1:8080/invocations', body: '{"instances":[[1,2]]}' });
  });

  it('fails with the status and the start of the body on an HTTP error', async () => {
    const { fetch } = stubFetch(() => ({ status: 503, text: 'overloaded' }));

    await expect(httpPredictor({ endpointUrl: 'https://m', fetch })([[1]], ['x'])).rejects.toThrow('POST https://m/invocations: HTTP 503: overloaded');
  });
});

describe('parsePredictions', () => {
  it('reads the usual answer shapes, one number per row', () => {
    expect(parsePredictions('0.1\n0.2', 'text/csv', 2)).toEqual([0.1, 0.2]);
    expect(parsePredictions('[0.1, 0.2]', 'application/json', 2)).toEqual([0.1, 0.2]);
    expect(parsePredictions('[[0.3, 0.7], [0.9, 0.1]]', 'application/json', 2)).toEqual([0.7, 0.1]);
    expect(parsePredictions('{"predictions": [{"predicted_label": 1, "probability": 0.8}]}', 'application/json', 1)).toEqual([0.8]);
    expect(parsePredictions('{"out": {"v": 4}}', 'application/json', 1, 'out.v')).toEqual([4]);
  });

  it('says what is wrong with an answer it cannot read', () => {
    expect(() => parsePredictions('0.1', 'text/csv', 2)).toThrow("the model's answer holds 1 predictions for 2 request rows");
    expect(() => parsePredictions('{oops', 'application/json', 1)).toThrow("the model's answer cannot be read: the body is not valid JSON");
    expect(() => parsePredictions('{"label": "cat"}', 'application/json', 1)).toThrow('prediction 0 ({"label":"cat"}) holds no number; set the inference attribute');
  });
});

describe('numericPrediction and parseHeader', () => {
  it('reads numbers from scalars, objects and probability pairs', () => {
    expect([3, '4.5', { score: 1 }, [0.2, 0.8], [1, 2, 3], 'x'].map((r) => numericPrediction(r))).toEqual([3, 4.5, 1, 0.8, undefined, undefined]);
  });

  it('splits a "Name: value" header', () => {
    expect(parseHeader('Authorization: Bearer abc:def')).toEqual({ name: 'Authorization', value: 'Bearer abc:def' });
    expect(parseHeader('no header here')).toBeUndefined();
  });
});
