// Version strings as the image publishers write them (`1.2-1`, `2.6.0`, `0.36.0`, `1.4-2-py312`):
// ordering, major.minor, and the Python version spellings we accept. Shared with the generator script.

/** Splits a version into numeric and text parts: `1.4-2-py312` -> [1, 4, 2, 'py312']. */
function parts(version: string): (number | string)[] {
  return version.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Orders versions ascending: numbers numerically, a longer version after its prefix. */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    // A number sorts after text (a release after a pre-release label), text compares as text.
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Newest first. */
export function newestFirst(versions: readonly string[]): string[] {
  return [...versions].sort((a, b) => compareVersions(b, a));
}

/** `1.2-1` -> `1.2`, `2.6.0` -> `2.6`, `2.4` -> `2.4`; undefined when the version has no major.minor. */
export function majorMinor(version: string): string | undefined {
  const match = /^(\d+)[.-](\d+)/.exec(version);
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

/** `3.12` or `py312` -> `py312`; `py3` stays `py3`. Anything else is returned as given. */
export function normalizePythonVersion(value: string): string {
  const dotted = /^(\d)\.(\d{1,2})$/.exec(value);
  if (dotted) return `py${dotted[1]}${dotted[2]}`;
  return value.toLowerCase();
}
