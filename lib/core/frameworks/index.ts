// Framework presets: `spec.framework` and `spec.huggingFaceModelId` resolved to each cloud's prebuilt serving image.
export * from './types';
export * from './resolve-framework-image';
