// The part of a logger the services use (pino's, which Fastify hands out, fits it).

export interface Logger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
