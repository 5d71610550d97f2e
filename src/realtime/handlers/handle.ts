// Wraps a socket command: validate with zod, spend the user's budget, run in its own EntityManager
// context, answer the ack. Nothing a client sends can throw out of the listener it returns.
import { RequestContext } from '@mikro-orm/core';
import type { z } from 'zod';
import type { Orm } from '../../db/orm.ts';
import { ackError, ackOk } from '../../shared/ack.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { inputProblem, issueDetails } from '../../shared/schemas.ts';

export interface HandlerContext {
  orm: Orm;
  log: Logger;
}

const invalid = (details: { field: string; message: string }[]) =>
  new AppError('VALIDATION_ERROR', `Invalid payload: ${[...new Set(details.map((detail) => detail.field))].join(', ')}`, details);

export function handle<Schema extends z.ZodType, Result extends object>(
  context: HandlerContext,
  schema: Schema,
  run: (payload: z.output<Schema>) => Promise<Result>,
  /** Spends the user's budget for this command (absent when RATE_LIMITS=off); throws RATE_LIMITED when it is spent. */
  spend?: () => void,
) {
  const failed = (error: unknown) => {
    if (!(error instanceof AppError) || error.status >= 500) context.log.error({ err: error }, 'socket command failed');
    return ackError(error);
  };
  return (...args: unknown[]) => {
    const ack = args.at(-1);
    // Without an acknowledgement callback there is no one to answer: ignore the event.
    if (typeof ack !== 'function') return;
    const respond = (response: unknown) => {
      try {
        ack(response);
      } catch {
        // the client went away
      }
    };
    try {
      const payload = args.length > 1 ? args[0] : undefined;
      const problem = inputProblem(payload);
      if (problem) return respond(ackError(invalid([problem])));
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return respond(ackError(invalid(issueDetails(parsed.error.issues))));
      spend?.();
      RequestContext.create(context.orm.em, () => run(parsed.data)).then(
        (result) => respond(ackOk(result)),
        (error: unknown) => respond(failed(error)),
      );
    } catch (error) {
      // A spent budget, or a synchronous failure (a schema or a service that threw before its promise): the same envelope.
      respond(failed(error));
    }
  };
}
