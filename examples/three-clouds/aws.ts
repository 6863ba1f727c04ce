// Example (e), AWS: the shared spec as a composed SageMaker stack (CDK app).
// In your app, import from 'deploy-ai-smarter/aws' instead of '../../lib/aws'.
import { App, Stack } from 'aws-cdk-lib';
import { ModelInferenceStack } from '../../lib/aws';
import { recommenderSpec } from './spec';

export function addThreeCloudsAws(app: App): Stack[] {
  return [new ModelInferenceStack(app, 'RecommenderAws', {
    description: 'deploy-ai-smarter example: the same spec on three clouds (AWS part)',
    spec: recommenderSpec('aws'),
  })];
}

if (require.main === module) {
  const app = new App();
  addThreeCloudsAws(app);
  app.synth();
}
