// Cloud-neutral core: the model spec, the compute catalog and the one validation-error format.
export * from './errors';
export * from './suggest';
export * from './compute-catalog';
export * from './model-spec';
export * from './usage-prices';
export * from './cost';
export * from './version';
export * from './drift-job';
export * from './cron';
export * from './budget';
export * from './review-contract';
export * from './key-prefix';
