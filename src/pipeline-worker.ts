/** Worker thread of the ingest pool: drafts items sent by src/pipeline.ts with the default tagger. */
import { parentPort } from 'node:worker_threads';
import { toSecwireError } from './errors.js';
import { draftItem, type ItemDraft, type ItemJob } from './pipeline-draft.js';
import type { WorkerReply } from './pipeline-pool.js';
import { createTagger } from './tagging/index.js';

const port = parentPort;
if (port) {
  const tagger = createTagger();
  port.on('message', ({ id, job }: { id: number; job: ItemJob }) => {
    let reply: WorkerReply<ItemDraft>;
    try {
      reply = { id, result: draftItem(tagger, job) };
    } catch (thrown) {
      const error = toSecwireError(thrown, 'ParseError');
      reply = { id, error: { kind: error.kind, message: error.message } };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
