import winston from 'winston';

export type Logger = winston.Logger;

/** The root JSON logger; modules derive children with `logger.child({ module, chargePointId })`. */
export function createLogger(level: string): Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
  });
}
