// Synth-time warnings of the GCP constructs: recorded in the manifest AND printed, since cdktf keeps annotations in
// the manifest only and `tsx bin/tf-app.ts` would otherwise show nothing. Results that cannot work are errors instead.
import { IConstruct } from 'constructs';
import { Annotations } from 'cdktf';
import { printSynthWarning } from '../../core/warnings';

export function warn(scope: IConstruct, message: string): void {
  Annotations.of(scope).addWarning(message);
  printSynthWarning(scope.node.path, message);
}
