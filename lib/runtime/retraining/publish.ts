// What a monitoring function does after its run when the stack gave it a retraining topic: turn the run's lines
// into retraining events (lib/core's schema) and publish them to Event Grid. Without the setting it does nothing.
import { buildRetrainingEvent, RetrainingEvent, RetrainingSignalDescription } from '../../core/retraining-event';
import { PublishOptions, RETRAINING_TOPIC_SETTING, publishToEventGrid } from './event-grid';

export type Publisher = (endpoint: string, events: readonly RetrainingEvent[]) => Promise<void>;

/**
 * Builds and publishes one event per description to the topic in `env.RETRAINING_TOPIC_ENDPOINT`; returns the
 * events (none without the setting or without a signal).
 */
export async function publishRetrainingSignals(signals: readonly RetrainingSignalDescription[], env: NodeJS.ProcessEnv, publish?: Publisher, options?: PublishOptions): Promise<RetrainingEvent[]> {
  const endpoint = env[RETRAINING_TOPIC_SETTING];
  if (!endpoint || signals.length === 0) return [];
  const events = signals.map((s) => buildRetrainingEvent(s, 'RetrainingSignal'));
  await (publish ?? ((url, batch) => publishToEventGrid(url, batch, options)))(endpoint, events);
  return events;
}

/** The logging side of a function invocation (InvocationContext). */
export interface LogContext {
  info(message: string): void;
  error(message: string): void;
}

/**
 * publishRetrainingSignals inside a function run: logs `retraining_published` with the event ids, or
 * `retraining_publish_error` and rethrows, so the invocation fails and its retry publishes again (same ids).
 */
export async function publishSignals(signals: readonly RetrainingSignalDescription[], env: NodeJS.ProcessEnv, context: LogContext, model: string, publish?: Publisher): Promise<void> {
  try {
    const events = await publishRetrainingSignals(signals, env, publish);
    if (events.length > 0) context.info(JSON.stringify({ event: 'retraining_published', model, events: events.map((e) => e.id) }));
  } catch (error) {
    context.error(JSON.stringify({ event: 'retraining_publish_error', model, error: error instanceof Error ? error.message : String(error) }));
    throw error;
  }
}
