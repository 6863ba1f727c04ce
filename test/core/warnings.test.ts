import { printSynthWarning, setWarningSink } from '../../lib/core/warnings';

describe('printSynthWarning', () => {
  it('prints each distinct warning once, with the construct path', () => {
    const lines: string[] = [];
    const previous = setWarningSink((line) => lines.push(line));
    try {
      printSynthWarning('stack/Serving', 'grant read access yourself');
      printSynthWarning('stack/Serving', 'grant read access yourself');
      printSynthWarning('stack/Drift', 'no silent alert');
    } finally {
      setWarningSink(previous);
    }
    expect(lines).toEqual([
      '[deploy-ai-smarter] WARNING stack/Serving: grant read access yourself',
      '[deploy-ai-smarter] WARNING stack/Drift: no silent alert',
    ]);
  });

  it('stays quiet when DEPLOY_AI_SMARTER_QUIET=1', () => {
    const lines: string[] = [];
    const previous = setWarningSink((line) => lines.push(line));
    process.env.DEPLOY_AI_SMARTER_QUIET = '1';
    try {
      printSynthWarning('stack/X', 'quiet please');
    } finally {
      delete process.env.DEPLOY_AI_SMARTER_QUIET;
      setWarningSink(previous);
    }
    expect(lines).toEqual([]);
  });
});
