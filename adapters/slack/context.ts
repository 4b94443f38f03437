// What every Slack handler needs, built once in startSlack.
import type { Logger } from '../../src/log.js';
import type { BriefingService } from '../../src/service.js';
import type { FeedbackStore } from '../../src/store/feedback.js';
import type { SeenEvents } from '../../src/store/seen-events.js';
import type { AdapterDeps } from '../types.js';
import type { AnswerQueue } from './answer-queue.js';
import type { BriefSubcommand } from './brief-subcommand.js';

export const PLATFORM = 'slack';

export interface SlackContext {
  deps: AdapterDeps;
  briefing: BriefingService;
  logger: Logger;
  seen: SeenEvents;
  feedback: FeedbackStore;
  subcommands: BriefSubcommand[];
  /** Every call into the engine for a question goes through here (see answer-queue.ts). */
  answers: AnswerQueue;
  /** How long an answer may take before "Looking through the sources…" is shown (replies.ts). */
  placeholderAfterMs?: number;
}

/** Topic labels to suggest when an answer abstains without suggestions of its own. */
export function topicLabels(briefing: BriefingService): string[] {
  try {
    return briefing.topics().map((t) => t.label);
  } catch {
    return [];
  }
}
