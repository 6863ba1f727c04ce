// cdktf entry (cdktf.json "app"): the example GCP and Azure stacks, defaults only, no credentials needed.
import { App } from 'cdktf';
import { addAzureExample } from './azure-example';
import { addGcpExample } from './gcp-example';

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
addGcpExample(app);
addAzureExample(app);
app.synth();
