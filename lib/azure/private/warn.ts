// Synth-time warnings of the Azure constructs: recorded in the manifest (cdktf annotations) AND printed, so the
// person running the app with `tsx`/`cdktf synth` sees them (cdktf keeps annotations in the manifest only).
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { printSynthWarning } from '../../core';

/** Records `message` as a warning on `scope` and prints it once. */
export function warn(scope: Construct, message: string): void {
  Annotations.of(scope).addWarning(message);
  printSynthWarning(scope.node.path, message);
}
