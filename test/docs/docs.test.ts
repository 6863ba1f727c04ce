// README.md and the guides in docs/ stay true: every TypeScript snippet is a region of a compiled file in examples/,
// every generated section is what its generator returns, every command names a real script, CLI command and flag,
// and every repository path they mention exists. `UPDATE_DOCS=1 npx jest test/docs` rewrites snippets and sections.
import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS } from '../../lib/cli';
import { generatedSections, regenerate } from '../../scripts/docs-sections';

const ROOT = path.join(__dirname, '..', '..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const UPDATE = process.env.UPDATE_DOCS === '1';
const SNIPPET = /<!-- snippet: (examples\/[\w./-]+\.ts)#([\w-]+) -->\n```ts\n([\s\S]*?)```/g;

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Every part of `file` between `// #region NAME` and the next `// #endregion`, dedented, imports as a user writes them. */
export function region(file: string, name: string): string {
  const lines = read(file).split('\n');
  const body: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line.trim() === `// #region ${name}`) inside = true;
    else if (inside && line.trim().startsWith('// #endregion')) inside = false;
    else if (inside) body.push(line);
  }
  if (body.length === 0) throw new Error(`${file} has no "// #region ${name}"`);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent).trimEnd()).join('\n')
    .replace(/'(?:\.\.\/)+lib\/(\w+)'/g, "'deploy-ai-smarter/$1'")
    .replace(/'(?:\.\.\/)+lib'/g, "'deploy-ai-smarter'");
}

/** The text of each fenced block of `lang`, with the line before it. */
function blocks(markdown: string, lang: string): { before: string; body: string }[] {
  return [...markdown.matchAll(new RegExp('(^|\\n)([^\\n]*)\\n```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => ({ before: m[2], body: m[3] }));
}

it('keeps README.md a page a newcomer reads in minutes (at most 15,000 bytes)', () => {
  expect(fs.statSync(path.join(ROOT, 'README.md')).size).toBeLessThanOrEqual(15_000);
});

describe.each(DOCS)('%s', (doc) => {
  let text = read(doc);
  if (UPDATE) {
    const updated = regenerate(text.replace(SNIPPET, (_, file: string, name: string) => `<!-- snippet: ${file}#${name} -->\n\`\`\`ts\n${region(file, name)}\n\`\`\``));
    if (updated !== text) fs.writeFileSync(path.join(ROOT, doc), updated);
    text = updated;
  }

  it('takes every TypeScript snippet from a region of a compiled example', () => {
    for (const block of [...blocks(text, 'ts'), ...blocks(text, 'typescript')]) {
      const marker = /^<!-- snippet: (examples\/[\w./-]+\.ts)#([\w-]+) -->$/.exec(block.before);
      expect({ snippet: block.body.split('\n')[0], marker: marker ? 'present' : block.before }).toEqual({ snippet: block.body.split('\n')[0], marker: 'present' });
      expect(block.body.replace(/\n$/, '')).toBe(region(marker![1], marker![2]));
    }
  });

  it('holds the generated sections as their generators make them', () => {
    for (const section of generatedSections(text)) {
      expect({ name: section.name, known: section.expected !== undefined }).toEqual({ name: section.name, known: true });
      expect(section.current).toBe(section.expected);
    }
  });

  it('runs only real scripts, commands and flags', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    for (const block of [...blocks(text, 'sh'), ...blocks(text, 'bash')]) {
      const commands = block.body.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
      for (const line of commands) {
        for (const m of line.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toContain(m[1]);
        const cli = /(?:^|npx |&& |\| )deploy-ai-smarter (\w+)(.*)$/.exec(line);
        if (!cli) continue;
        expect(Object.keys(COMMANDS)).toContain(cli[1]);
        for (const flag of cli[2].match(/(?<=\s)--[\w-]+/g) ?? []) expect({ command: cli[1], flag, known: COMMANDS[cli[1]].usage.includes(flag) }).toEqual({ command: cli[1], flag, known: true });
      }
    }
  });

  it('names only repository paths that exist', () => {
    // Paths in another repository (a line citing github.com) are that repository's.
    const ours = text.split('\n').filter((line) => !line.includes('github.com/')).join('\n');
    const mentioned = [...ours.matchAll(/(?<![\w/.-])((?:lib|test|examples|scripts|bin|docker|docs|assets)\/[\w./-]*\w)/g)].map((m) => m[1]);
    const linked = [...text.matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)].map((m) => path.relative(ROOT, path.join(ROOT, path.dirname(doc), m[1])));
    const missing = [...mentioned, ...linked].filter((p) => !/[<*]/.test(p) && !p.startsWith('assets/') && !p.startsWith('docs/api') && !fs.existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
  });
});
