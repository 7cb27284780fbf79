import { SecwireError } from '../../errors.js';
import { extractArticle } from '../../extract/index.js';
import { decodeBody } from '../../fetchers/charset.js';
import { parseFeed } from '../../fetchers/parse/index.js';
import { createTagger } from '../../tagging/index.js';
import { runBatch, type BatchInput } from '../batch.js';
import { commandLogger, loadCommandConfig, type CommonOptions } from '../context.js';
import { loadInput } from '../input.js';
import { printJson, printLine } from '../output.js';

export interface InspectOptions extends CommonOptions {
  batch?: string;
  url?: string;
  contentType?: string;
  format?: string;
}

/** `secwire parse`: what secwire reads in a feed, normalised. */
export async function parseCommand(target: string | undefined, options: InspectOptions): Promise<number> {
  const config = loadCommandConfig(options);
  const logger = commandLogger(options, config);
  const parseOne = async (input: { target: string; url?: string | undefined; contentType?: string | undefined }): Promise<object> => {
    const loaded = await loadInput(input.target, { url: input.url, contentType: input.contentType, fetch: config.fetch, logger, accept: 'feed' });
    return parseFeed(decodeBody(loaded.bytes, loaded.contentType), loaded.url);
  };
  if (options.batch) return (await runBatch(options.batch, (line) => parseOne(batchTarget(line)))) > 0 ? 4 : 0;
  printJson(await parseOne({ target: requireTarget(target, 'parse'), url: options.url, contentType: options.contentType }));
  return 0;
}

/** `secwire extract`: the article the extractor finds in a page. */
export async function extractCommand(target: string | undefined, options: InspectOptions): Promise<number> {
  const config = loadCommandConfig(options);
  const logger = commandLogger(options, config);
  const extractOne = async (input: { target: string; url?: string | undefined; contentType?: string | undefined }) => {
    const loaded = await loadInput(input.target, { url: input.url, contentType: input.contentType, fetch: config.fetch, logger, accept: 'page' });
    return extractArticle(decodeBody(loaded.bytes, loaded.contentType), loaded.url);
  };
  if (options.batch) return (await runBatch(options.batch, (line) => extractOne(batchTarget(line)))) > 0 ? 4 : 0;
  const result = await extractOne({ target: requireTarget(target, 'extract'), url: options.url, contentType: options.contentType });
  if (options.format === 'text') printLine(`${result.title ?? ''}\n\n${result.text}`);
  else printJson(result);
  return 0;
}

/** `secwire tag`: the tags secwire gives a text (first line is the title). */
export async function tagCommand(target: string | undefined, options: InspectOptions): Promise<number> {
  const config = loadCommandConfig(options);
  commandLogger(options, config);
  const tagger = createTagger();
  const tagText = (title: string, text: string): object => tagger.tag({ title, text });
  if (options.batch) {
    return (await runBatch(options.batch, async (line) => {
      if (typeof line.text === 'string') return tagText('', line.text);
      const loaded = await loadInput(batchTarget(line).target, { fetch: config.fetch, logger: commandLogger(options, config), accept: 'page' });
      return tagText('', loaded.bytes.toString('utf8'));
    })) > 0
      ? 4
      : 0;
  }
  const loaded = await loadInput(requireTarget(target, 'tag'), { fetch: config.fetch, logger: commandLogger(options, config), accept: 'page' });
  const [title = '', ...rest] = loaded.bytes.toString('utf8').split('\n');
  printJson(tagText(title, rest.join('\n')));
  return 0;
}

function requireTarget(target: string | undefined, command: string): string {
  if (!target) throw new SecwireError('UsageError', `secwire ${command}: give a URL, a FILE or - (stdin), or --batch IN.jsonl`);
  return target;
}

function batchTarget(line: BatchInput): { target: string; url?: string | undefined; contentType?: string | undefined } {
  const target = line.path ?? line.url;
  if (!target) throw new SecwireError('UsageError', 'each line needs "path" or "url"');
  return { target, url: line.path ? line.url : undefined, contentType: line.contentType };
}
