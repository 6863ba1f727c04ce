// Which resources hold data (replacing or destroying them loses it, or orphans it), and, for Terraform,
// which attribute changes force a replacement. A curated table from the providers' schemas (ForceNew).

/** CloudFormation types whose replacement or deletion loses or orphans data or keys. */
export const CFN_STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable',
  'AWS::Logs::LogGroup', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::EFS::FileSystem',
  'AWS::SecretsManager::Secret', 'AWS::ECR::Repository', 'AWS::Kinesis::Stream', 'AWS::SNS::Topic',
  'AWS::Cognito::UserPool', 'AWS::SageMaker::FeatureGroup', 'AWS::ElastiCache::ReplicationGroup',
]);

/**
 * Terraform types that hold data, with the attributes whose change forces a new resource
 * (provider schema `ForceNew`; google 6.x, azurerm 4.x). Absent attributes never force replacement here.
 */
export const TF_STATEFUL_FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  google_storage_bucket: ['name', 'location', 'project'],
  google_kms_key_ring: ['name', 'location', 'project'],
  google_kms_crypto_key: ['name', 'key_ring', 'purpose', 'skip_initial_version_creation', 'import_only'],
  google_pubsub_topic: ['name', 'project'],
  google_pubsub_subscription: ['name', 'topic', 'project'],
  google_bigquery_dataset: ['dataset_id', 'location', 'project'],
  google_bigquery_table: ['dataset_id', 'table_id', 'project'],
  google_sql_database_instance: ['name', 'region', 'project'],
  google_secret_manager_secret: ['secret_id', 'project', 'replication'],
  google_artifact_registry_repository: ['repository_id', 'location', 'format', 'project', 'kms_key_name'],
  google_logging_project_bucket_config: ['bucket_id', 'location', 'project'],
  azurerm_resource_group: ['name', 'location'],
  azurerm_storage_account: ['name', 'location', 'resource_group_name', 'account_kind', 'account_tier', 'infrastructure_encryption_enabled', 'is_hns_enabled', 'queue_encryption_key_type', 'table_encryption_key_type', 'nfsv3_enabled'],
  azurerm_storage_container: ['name', 'storage_account_id', 'storage_account_name'],
  azurerm_key_vault: ['name', 'location', 'resource_group_name'],
  azurerm_key_vault_key: ['name', 'key_vault_id', 'key_type', 'curve', 'key_size'],
  azurerm_log_analytics_workspace: ['name', 'location', 'resource_group_name'],
  azurerm_container_registry: ['name', 'location', 'resource_group_name'],
  azurerm_cosmosdb_account: ['name', 'location', 'resource_group_name', 'kind'],
  azurerm_servicebus_namespace: ['name', 'location', 'resource_group_name'],
  azurerm_servicebus_queue: ['name', 'namespace_id'],
  azurerm_user_assigned_identity: ['name', 'location', 'resource_group_name'],
};

/** Non-stateful types whose replacement still matters, e.g. a new identity gets a new principal id. */
export const TF_OTHER_FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  google_cloud_run_v2_service: ['name', 'location', 'project'],
  google_service_account: ['account_id', 'project'],
  azurerm_container_app: ['name', 'resource_group_name', 'container_app_environment_id'],
  azurerm_container_app_environment: ['name', 'location', 'resource_group_name', 'infrastructure_subnet_id'],
  azurerm_role_assignment: ['scope', 'role_definition_name', 'role_definition_id', 'principal_id', 'condition'],
};

export function isTfStateful(type: string): boolean {
  return type in TF_STATEFUL_FORCE_NEW;
}

export function tfForceNewAttributes(type: string): readonly string[] {
  return TF_STATEFUL_FORCE_NEW[type] ?? TF_OTHER_FORCE_NEW[type] ?? [];
}
