// Reads aws-cdk-lib's validation report (cdk-nag's AwsSolutions pack and the CloudFormation linter write into it).
// Shared by the nag smoke check, the nag gate and the registry consumer check. Not a test file itself.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';

interface ValidationReport {
  readonly pluginReports: ReadonlyArray<{
    readonly pluginName: string;
    readonly violations: ReadonlyArray<{
      readonly ruleName: string;
      readonly severity: string;
      readonly violatingConstructs: ReadonlyArray<{ readonly constructPath?: string }>;
    }>;
  }>;
}

function readReport(outdir: string): ValidationReport {
  const reportPath = path.join(outdir, 'validation-report.json');
  return fs.existsSync(reportPath) ? (JSON.parse(fs.readFileSync(reportPath, 'utf-8')) as ValidationReport) : { pluginReports: [] };
}

/** Every unacknowledged error, fatal or warning in `outdir`'s report, one line each: `<plugin> <severity> <rule> at <paths>`. */
export function reportedFindings(outdir: string): string[] {
  return readReport(outdir).pluginReports.flatMap((p) => p.violations
    .filter((v) => ['error', 'fatal', 'warning'].includes(v.severity))
    .map((v) => `${p.pluginName} ${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`));
}

/** The plugins that reported findings (a plugin with nothing to say may be absent). */
export function reportingPlugins(outdir: string): string[] {
  return readReport(outdir).pluginReports.map((p) => p.pluginName);
}

/** Synthesizes `app` (validation plugins already added) and returns its findings; a failure with no report is rethrown. */
export function synthesizeFindings(app: App): string[] {
  try {
    app.synth();
  } catch (e) {
    // A failed validation throws after writing the report, which is what we read.
    if (!fs.existsSync(path.join(app.outdir, 'validation-report.json'))) throw e;
  }
  return reportedFindings(app.outdir);
}
