// Azure constructs (cdktf + @cdktf/provider-azurerm): one construct per file, plus the composed stack.
export * from './references';
export * from './observability-base';
export * from './ingestion-storage';
export * from './ml-workspace';
export * from './container-app-serving';
export * from './api-front';
export * from './batch-inference';
export * from './drift-job';
export * from './drift-function';
export * from './existing-azure';
export * from './private-endpoints';
export * from './azure-model-stack-props';
export * from './inference-alerts';
export * from './resource-group-budget';
export * from './azure-model-stack';
