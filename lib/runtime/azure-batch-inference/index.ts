// Entry point of the Azure batch inference function (Node.js v4 programming model): registers the Event
// Grid-triggered function `score_blob` with the Functions worker when the Flex Consumption host loads index.js.
import { app, type InvocationContext } from '@azure/functions';
import { createBatchHandler, type BatchHandler, type LogEntry } from './handler';

/** The function name Event Grid's subscription points at (`.../functions/score_blob`). */
export const FUNCTION_NAME = 'score_blob';

let instance: BatchHandler | undefined;

/** One Event Grid event; a thrown error fails the invocation, so Event Grid redelivers (then dead-letters) it. */
export async function scoreBlob(event: unknown, context: InvocationContext): Promise<void> {
  // Configured from the app settings once per instance; tokens are cached across invocations.
  instance ??= createBatchHandler();
  await instance(event, (entry) => invocationLog(context, entry));
}

/** One JSON object per trace, at the entry's level, so Application Insights queries read every field. */
function invocationLog(context: InvocationContext, entry: LogEntry): void {
  const line = JSON.stringify(entry);
  if (entry.severity === 'ERROR') context.error(line);
  else if (entry.severity === 'WARNING') context.warn(line);
  else context.info(line);
}

app.eventGrid(FUNCTION_NAME, { handler: scoreBlob });
