import { constraintViolationsQuery, datasetDriftQuery, driftJobErrorQuery, driftQuery, driftSummaryCountQuery, kqlString, silenceWindow } from '../../../lib/azure/private/drift-query';

describe('drift queries', () => {
  it('reads console lines of a Container Apps job (legacy _CL and resource-specific tables) and the drift function\'s traces', () => {
    for (const query of [driftQuery('fraud', []), datasetDriftQuery('fraud'), constraintViolationsQuery('fraud'), driftJobErrorQuery('fraud'), driftSummaryCountQuery('fraud')]) {
      expect(query).toMatch(/^union isfuzzy=true\n {2}\(ContainerAppConsoleLogs_CL \| project TimeGenerated, Line = Log_s\),\n {2}\(ContainerAppConsoleLogs \| project TimeGenerated, Line = Log\),\n {2}\(AppTraces \| project TimeGenerated, Line = Message\)\n/);
      expect(query).toContain('| extend record = parse_json(Line)');
      expect(query).toContain("tostring(record.model) == 'fraud'");
    }
  });

  it('keeps feature lines the job judged drifted (its verdict, not a raw distance), for the listed features only', () => {
    const query = driftQuery('fraud', ['amount', "o'clock"]);
    expect(query).toContain("| where tostring(record.event) == 'feature_drift' and tostring(record.model) == 'fraud'");
    expect(query).toContain('| where toint(record.drifted) == 1 and tobool(record.emit_metrics) == true');
    expect(query).not.toMatch(/distance >|psi >|threshold_crossed/);
    expect(query).toContain("| where feature in ('amount', 'o\\'clock')");
    expect(query.split('\n').pop()).toMatch(/^\| project TimeGenerated, feature, test = /);
  });

  it('keeps summary lines with dataset drift, and violation lines with a count per constraint check', () => {
    expect(datasetDriftQuery('fraud')).toContain('| where toint(record.dataset_drift) == 1');
    const violations = constraintViolationsQuery('fraud');
    expect(violations).toContain("tostring(record.event) == 'constraint_violations'");
    expect(violations).toContain('| where toint(record.total) > 0 and tobool(record.emit_metrics) == true');
    expect(violations).toContain('missing_column_check = toint(record.missing_column_check)');
    expect(violations).toContain('completeness_check = toint(record.completeness_check)');
  });

  it('selects job error lines and counts summary lines in exactly one row', () => {
    expect(driftJobErrorQuery('fraud')).toContain("tostring(record.event) == 'drift_job_error'");
    const count = driftSummaryCountQuery('fraud');
    expect(count).toContain("tostring(record.event) == 'drift_summary'");
    expect(count.split('\n').pop()).toBe('| summarize summaries = count()');
  });

  it('escapes KQL string literals', () => {
    expect(kqlString("a'b\\c")).toBe("'a\\'b\\\\c'");
  });

  it.each([[2, 'PT2H'], [6, 'PT6H'], [7, 'P1D'], [25, 'P2D'], [49, undefined]])('picks the smallest log alert window of at least %i hours', (hours, window) => {
    expect(silenceWindow(hours)).toBe(window);
  });
});
