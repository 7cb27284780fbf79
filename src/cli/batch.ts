import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { toSecwireError } from '../errors.js';

export interface BatchInput {
  id: string | number;
  path?: string;
  url?: string;
  text?: string;
  contentType?: string;
}

/**
 * Runs `handle` for each JSON line of `file`, writing `{id, ...result}` or `{id, error}` per line in input order.
 * One bad line never stops the batch. Returns how many lines failed.
 */
export async function runBatch(file: string, handle: (input: BatchInput) => Promise<object>): Promise<number> {
  const lines = createInterface({ input: file === '-' ? process.stdin : createReadStream(file), crlfDelay: Infinity });
  let failures = 0;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let input: BatchInput;
    try {
      const parsed: unknown = JSON.parse(line);
      if (!parsed || typeof parsed !== 'object' || !('id' in parsed)) throw new Error('each line must be a JSON object with an "id"');
      input = parsed as BatchInput;
    } catch (error) {
      failures += 1;
      process.stdout.write(`${JSON.stringify({ id: null, line: lineNumber, error: { kind: 'UsageError', message: `line ${lineNumber}: ${(error as Error).message}` } })}\n`);
      continue;
    }
    try {
      const result = await handle(input);
      process.stdout.write(`${JSON.stringify({ id: input.id, ...result })}\n`);
    } catch (thrown) {
      failures += 1;
      const error = toSecwireError(thrown);
      process.stdout.write(`${JSON.stringify({ id: input.id, error: { kind: error.kind, message: error.message } })}\n`);
    }
  }
  return failures;
}
