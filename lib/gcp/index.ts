// The GCP constructs (cdktf + @cdktf/provider-google): each usable alone, and GcpModelStack composing them.
export * from './batch-inference';
export * from './drift-job';
export * from './encryption-key';
export * from './gcp-model-stack';
export * from './ingestion-bucket';
export * from './model-alerting';
export * from './model-api';
export * from './model-budget';
export * from './model-service';
export * from './project-services';
export * from './service-identity';
export * from './vpc-connector';
export * from './network-options';
export * from './vertex-endpoint';
