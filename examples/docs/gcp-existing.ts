// docs/gcp.md: existing infrastructure and private networking.
import { App } from 'cdktf';
// #region gcp-existing
import { GcpModelStack, ServiceIdentity } from '../../lib/gcp';

// #endregion
const app = new App();
// #region gcp-existing
new GcpModelStack(app, 'churn', {
  projectId: 'my-project-id',
  region: 'us-central1',
  spec: { name: 'churn', image: 'us-central1-docker.pkg.dev/my-project-id/models/churn:1.0.0' },
  encryptionKeyId: 'projects/security-prj/locations/us-central1/keyRings/ml/cryptoKeys/data',
  ingestion: { existingBucketName: 'platform-ml-landing' },
  service: { serviceAccount: ServiceIdentity.fromEmail('churn-run@platform.iam.gserviceaccount.com') },
  batch: { serviceAccount: ServiceIdentity.fromEmail('churn-batch@platform.iam.gserviceaccount.com') },
  driftJob: {
    serviceAccount: ServiceIdentity.fromEmail('churn-drift@platform.iam.gserviceaccount.com'),
    schedulerServiceAccount: ServiceIdentity.fromEmail('churn-sched@platform.iam.gserviceaccount.com'),
  },
  alerting: { notificationChannels: ['projects/my-project-id/notificationChannels/1234567890'] },
});
// #endregion

// #region gcp-private-network
new GcpModelStack(app, 'churn', {
  projectId: 'my-project-id',
  region: 'us-central1',
  spec: { name: 'churn', image: 'us-central1-docker.pkg.dev/my-project-id/models/churn:1.0.0' },
  network: {
    subnetwork: 'ml-serving',                        // Direct VPC egress of the service
    newConnector: { subnetwork: 'ml-connector-28' }, // a /28 used by nothing else, Private Google Access on
  },
});
// #endregion
