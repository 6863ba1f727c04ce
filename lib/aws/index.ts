// AWS constructs (aws-cdk-lib): each usable alone, plus the composed ModelInferenceStack.
export * from './inference-endpoint';
export * from './model-data';
export * from './container-image';
export * from './ingestion-bucket';
export * from './model-endpoint';
export * from './inference-api';
export * from './inference-alarms';
export * from './model-inference-stack';
// Monitoring constructs (drift and model quality monitors, dashboard) that build on the pieces above.
export * from './drift-monitor';
export * from './model-quality-monitor';
export type { MonitoringJobProps } from './private/monitoring-job';
export * from './inference-dashboard';
// Opt-ins: the portable drift job (accounts without Model Monitor) and the monthly budget.
export * from './portable-drift-job';
export * from './model-budget';
export * from './lambda-model';
export * from './portable-quality-job';
export * from './portable-explain-job';
export * from './retraining-signal';
