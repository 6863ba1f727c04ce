// Public API of deploy-ai-smarter. Each cloud is also importable alone (`deploy-ai-smarter/aws`...),
// which avoids loading the other clouds' libraries.
export * from './core';
export * from './aws';
// The gcp and azure exports are added when those constructs land (the lead finishes this file).
