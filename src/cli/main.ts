#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, exitCodeFor, isSecwireError } from '../errors.js';
import { VERSION } from '../version.js';
import { EXPORT_FORMATS, SEARCH_HELP } from './help.js';
import type { demoCommand } from './commands/demo.js';
import type { exportCommand } from './commands/export.js';
import type { fetchCommand } from './commands/fetch.js';
import type { searchCommand } from './commands/search.js';
import type { showCommand } from './commands/show.js';
import type { extractCommand, parseCommand, tagCommand } from './commands/inspect.js';
import type { backupCommand, pruneCommand } from './commands/maintenance.js';
import type { sourcesExportCommand, sourcesImportCommand } from './commands/opml.js';
import type { sourcesAddCommand } from './commands/sources-add.js';
import type { runCommand, serveCommand } from './commands/serve.js';
import type { sourcesListCommand, sourcesStatusCommand } from './commands/sources.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return port;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Options every command takes. */
function withCommon(command: Command): Command {
  return command
    .option('--config <file>', 'configuration file (default: $SECWIRE_CONFIG, ./secwire.yaml, built-in defaults)')
    .option('--db <file>', 'SQLite database (default: ./data/secwire.db, $SECWIRE_DB)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']));
}

type Action = (...args: never[]) => Promise<number> | number;

/**
 * Runs a command and exits with its code; errors print one clear line on stderr. Command modules are
 * imported when their command runs, so `--help` and light commands do not load the extractor, tagger and store.
 */
function action(run: Action): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    try {
      process.exitCode = await (run as (...a: unknown[]) => Promise<number> | number)(...args);
    } catch (error) {
      process.stderr.write(`secwire: ${isSecwireError(error) ? `${error.kind}: ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
      if (!isSecwireError(error) && error instanceof Error && process.env['SECWIRE_DEBUG']) process.stderr.write(`${error.stack}\n`);
      process.exitCode = exitCodeFor(error);
    }
  };
}

export function buildProgram(): Command {
  const program = new Command('secwire')
    .description('A security-news wire: fetch outlets, extract and tag articles, merge duplicates, serve RSS/Atom/JSON Feed')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();

  withCommon(program.command('run').description('daemon: fetch every source on its schedule and serve the feeds'))
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default 8080)', parsePort)
    .option('--no-articles', 'do not fetch article pages')
    .option('--health-window <duration>', '/healthz answers 503 when no fetch succeeded for this long, e.g. 2h (default: 3 runs of the slowest source, at least 1h; $SECWIRE_HEALTH_WINDOW)')
    .option('--stop-timeout <duration>', 'on SIGTERM/SIGINT, how long running fetches may finish before they are aborted (default 30s; $SECWIRE_STOP_TIMEOUT)')
    .action(action(async (options: Parameters<typeof runCommand>[0]) => (await import('./commands/serve.js')).runCommand(options)));

  withCommon(program.command('fetch').description('one ingest cycle now, then exit (exit 4 when some sources failed)'))
    .option('--source <id>', 'only this source (repeatable)', collect, [])
    .option('--no-articles', 'do not fetch article pages')
    .option('--force', 'also fetch sources under Retry-After or error backoff', false)
    .option('--json', 'print the per-source report as JSON', false)
    .action(action(async (options: Parameters<typeof fetchCommand>[0]) => (await import('./commands/fetch.js')).fetchCommand(options)));

  withCommon(program.command('serve').description('serve the feeds and the API only'))
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default 8080)', parsePort)
    .action(action(async (options: Parameters<typeof serveCommand>[0]) => (await import('./commands/serve.js')).serveCommand(options)));

  withCommon(program.command('demo').description('offline demo: a local fixture site of synthetic security news, ingested and served'))
    .option('--port <port>', 'port to serve the wire on (default 8080)', parsePort)
    .action(action(async (options: Parameters<typeof demoCommand>[0]) => (await import('./commands/demo.js')).demoCommand(options)));

  withCommon(program.command('parse').description('parse a feed (URL, FILE or -) and print what secwire reads'))
    .argument('[target]', 'URL, file or - for stdin')
    .option('--content-type <type>', 'Content-Type to assume (charset detection)')
    .option('--url <url>', 'base URL for relative links when reading a file')
    .addOption(new Option('--format <format>', 'output format').choices(['json']).default('json'))
    .option('--batch <file>', 'JSON lines {id, path|url, url?, contentType?}; one result line each')
    .action(action(async (target: string | undefined, options: Parameters<typeof parseCommand>[1]) => (await import('./commands/inspect.js')).parseCommand(target, options)));

  withCommon(program.command('extract').description('extract the article from a page (URL, FILE or -)'))
    .argument('[target]', 'URL, file or - for stdin')
    .option('--url <url>', 'the page URL when reading a file (for relative links and site rules)')
    .option('--content-type <type>', 'Content-Type to assume (charset detection)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'text']).default('json'))
    .option('--batch <file>', 'JSON lines {id, path|url, url?}; one result line each')
    .action(action(async (target: string | undefined, options: Parameters<typeof extractCommand>[1]) => (await import('./commands/inspect.js')).extractCommand(target, options)));

  withCommon(program.command('tag').description('tag a text (FILE or -; first line is the title)'))
    .argument('[target]', 'file or - for stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['json']).default('json'))
    .option('--batch <file>', 'JSON lines {id, text|path}; one result line each')
    .action(action(async (target: string | undefined, options: Parameters<typeof tagCommand>[1]) => (await import('./commands/inspect.js')).tagCommand(target, options)));

  withCommon(program.command('search').description('search the archive (see the query language below)'))
    .argument('<query>', 'words, "phrases", OR, -word, prefix*, tag:type:value, source:id, since:, until:, sort:')
    .option('--tag <slug>', 'only articles with this tag, e.g. actor:apt29 (repeatable)', collect, [])
    .option('--source <id>', 'only this source')
    .option('--since <date>', 'published at or after (YYYY-MM-DD or 7d)')
    .option('--until <date>', 'published before (YYYY-MM-DD or 7d)')
    .option('--limit <n>', 'most results', '20')
    .option('--facets', 'also print the top tags of the results (table format)', false)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'ndjson', 'csv']).default(process.stdout.isTTY ? 'table' : 'json'))
    .addHelpText('after', SEARCH_HELP)
    .action(action(async (query: string, options: Parameters<typeof searchCommand>[1]) => (await import('./commands/search.js')).searchCommand(query, options)));

  withCommon(program.command('show').description('one article: its tags with mentions, its story and its revisions'))
    .argument('<target>', 'article id or any URL it was seen under')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(action(async (target: string, options: Parameters<typeof showCommand>[1]) => (await import('./commands/show.js')).showCommand(target, options)));

  withCommon(program.command('prune').description('delete old articles now (starred ones and members of live stories stay)'))
    .option('--older-than <duration>', 'age by first-seen date, e.g. 180d, 12w (default: retention.days)')
    .option('--json', 'print the report as JSON', false)
    .action(action(async (options: Parameters<typeof pruneCommand>[0]) => (await import('./commands/maintenance.js')).pruneCommand(options)));

  withCommon(program.command('backup').description('write a consistent copy of the database, safe while the daemon runs'))
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists', false)
    .action(action(async (file: string, options: Parameters<typeof backupCommand>[1]) => (await import('./commands/maintenance.js')).backupCommand(file, options)));

  const sources = program.command('sources').description('the configured sources and their fetch state');
  withCommon(sources.command('list').description('list configured sources'))
    .option('--json', 'as JSON', false)
    .action(action(async (options: Parameters<typeof sourcesListCommand>[0]) => (await import('./commands/sources.js')).sourcesListCommand(options)));
  withCommon(sources.command('status').description('fetch state of each source: last fetch, status, errors, next fetch'))
    .option('--json', 'as JSON', false)
    .action(action(async (options: Parameters<typeof sourcesStatusCommand>[0]) => (await import('./commands/sources.js')).sourcesStatusCommand(options)));
  withCommon(sources.command('import').description('add the feeds of an OPML file (FreshRSS, Miniflux, Feedly...) to secwire.yaml sources'))
    .argument('<file>', 'OPML file')
    .option('--dry-run', 'only print what would be added', false)
    .option('--json', 'print the plan as JSON', false)
    .action(action(async (file: string, options: Parameters<typeof sourcesImportCommand>[1]) => (await import('./commands/opml.js')).sourcesImportCommand(file, options)));
  withCommon(sources.command('add').description('add a feed, the feed a page links, or a guessed HTML listing / JSON mapping (printed; written with --yes)'))
    .argument('<url>', 'a feed, a page linking a feed, a listing page or a JSON list')
    .option('--id <id>', 'source id (default: from the title)')
    .option('--name <name>', 'source name (default: the title)')
    .option('--yes', 'write a guessed listing or JSON mapping without asking', false)
    .option('--json', 'print the result as JSON', false)
    .action(action(async (url: string, options: Parameters<typeof sourcesAddCommand>[1]) => (await import('./commands/sources-add.js')).sourcesAddCommand(url, options)));
  withCommon(sources.command('export').description('the configured sources as OPML, for a feed reader'))
    .option('--out <file>', 'write to FILE instead of stdout')
    .action(action(async (options: Parameters<typeof sourcesExportCommand>[0]) => (await import('./commands/opml.js')).sourcesExportCommand(options)));

  withCommon(program.command('export').description('feeds (file or static site), Markdown files for Hexo/Hugo/Jekyll, or OPML'))
    .addOption(new Option('--format <format>', 'what to write').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('--tag <slug>', 'only articles with this tag, e.g. actor:apt29 (repeatable)', collect, [])
    .option('--source <id>', 'only this source')
    .option('--query <q>', 'only articles matching this search (secwire search --help)')
    .option('--limit <n>', 'most articles (feeds: default feeds.defaultLimit; markdown: all)', (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
      return n;
    })
    .option('--out <path>', 'FILE, or DIR (existing or ending in /) for a static site of every feed; markdown needs DIR')
    .option('--base-url <url>', 'where the exported files will be served (default: server.baseUrl)')
    .option('--full', 'full article HTML in feed entries', false)
    .action(action(async (options: Parameters<typeof exportCommand>[0]) => (await import('./commands/export.js')).exportCommand(options)));

  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const benign = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exitCode = benign ? EXIT.ok : EXIT.usage;
  } else {
    process.stderr.write(`secwire: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.failure;
  }
}
