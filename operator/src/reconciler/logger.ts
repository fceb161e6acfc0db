import { pino, type Logger } from 'pino';

/** Paths whose values never reach the log, wherever they appear one or two levels down. */
export const REDACTED_PATHS = [
  'token',
  'password',
  'apiKey',
  'authorization',
  'headers.authorization',
  '*.token',
  '*.password',
  '*.apiKey',
  '*.authorization',
  '*.headers.authorization',
  '*.bearerToken',
  '*.clientKey',
  '*.keyData',
];

/** JSON logs on stdout with secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { name: 'vibe-operator' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
