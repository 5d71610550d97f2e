// Wraps a socket command: validate with zod, rate-limit, run in its own EntityManager context, answer the ack.
import { RequestContext } from '@mikro-orm/core';
import type { z } from 'zod';
import type { Orm } from '../../db/orm.ts';
import { ackError, ackOk } from '../../shared/ack.ts';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { issueDetails, unstorableTextField, unstorableTextMessage } from '../../shared/schemas.ts';

export interface HandlerContext {
  orm: Orm;
  log: Logger;
}

export function handle<Schema extends z.ZodType, Result extends object>(
  context: HandlerContext,
  schema: Schema,
  run: (payload: z.output<Schema>) => Promise<Result>,
  /** The user's budget for this command (absent when RATE_LIMITS=off); false when it is spent. */
  allow?: () => boolean,
) {
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
    const payload = args.length > 1 ? args[0] : undefined;
    const unstorable = unstorableTextField(payload);
    const parsed = schema.safeParse(payload);
    if (unstorable !== undefined || !parsed.success) {
      const details = unstorable !== undefined ? [{ field: unstorable || 'payload', message: unstorableTextMessage }] : issueDetails(parsed.error!.issues);
      respond(ackError(new AppError('VALIDATION_ERROR', `Invalid payload: ${[...new Set(details.map((detail) => detail.field))].join(', ')}`, details)));
      return;
    }
    if (allow && !allow()) {
      respond(ackError(new AppError('RATE_LIMITED', 'Too many requests; slow down a little')));
      return;
    }
    RequestContext.create(context.orm.em, () => run(parsed.data)).then(
      (result) => respond(ackOk(result)),
      (error: unknown) => {
        if (!(error instanceof AppError) || error.status >= 500) context.log.error({ err: error }, 'socket command failed');
        respond(ackError(error));
      },
    );
  };
}
