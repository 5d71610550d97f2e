// The acknowledgement envelope every socket command answers with.
import { toErrorBody } from './errors.ts';

export type AckOk<T extends object> = { ok: true } & T;
export type AckError = { ok: false; error: { code: string; message: string; details?: { field: string; message: string }[] } };
export type Ack<T extends object> = AckOk<T> | AckError;

export const ackOk = <T extends object>(payload: T): AckOk<T> => ({ ok: true, ...payload });
export const ackError = (error: unknown): AckError => ({ ok: false, error: toErrorBody(error) });
