// docs/gcp.md's TypeScript snippets build the stacks they show (test/docs/docs.test.ts checks that they are the
// compiled regions of examples/docs, and keeps the generated tables current).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as cdktf from 'cdktf';
import * as gcp from '../../lib/gcp';

const GUIDE = path.join(__dirname, '..', '..', 'docs', 'gcp.md');

/** `new App()` of a snippet: writes nothing (no synth runs) and keeps no stack traces. */
class SnippetApp extends cdktf.App {
  constructor() {
    super({ outdir: path.join(os.tmpdir(), 'gcp-guide-snippets'), stackTraces: false });
  }
}

describe('docs/gcp.md', () => {
  const guide = fs.readFileSync(GUIDE, 'utf8');

  it.each([...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => [i + 1, m[1]]))('snippet %i builds its stack', (_, snippet) => {
    const body = (snippet as string).split('\n').filter((line) => !line.startsWith('import ') && line.trim() !== 'app.synth();').join('\n');
    const source = `${body.includes('new App(') ? '' : 'const app = new App();\n'}${body}`;
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const run = new Function('App', 'GcpModelStack', 'ServiceIdentity', js);
    expect(() => run(SnippetApp, gcp.GcpModelStack, gcp.ServiceIdentity)).not.toThrow();
  });
});
