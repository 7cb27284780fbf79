import { pino, type Logger } from 'pino';

export type { Logger };

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/**
 * Logs go to stderr: JSON lines when stderr is not a TTY (for journald and log shippers),
 * readable lines on a TTY. Results of commands go to stdout, never through the logger.
 */
export function createLogger(level: LogLevel = 'info'): Logger {
  if (process.stderr.isTTY && !process.env['NO_COLOR']) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
    });
  }
  if (process.stderr.isTTY) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: false, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
    });
  }
  return pino({ level }, pino.destination(2));
}

/** A logger that drops everything: for library callers and tests that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });
