// The HTTP form of a chat turn (POST /api/chat, POST /api/chat/approve): bodies and answers.
import { z } from 'zod';
import { messageContent, pendingApprovalDto, toolCallDto } from '../conversations/conversations.schemas.ts';
import { uuid } from '../shared/schemas.ts';

export const chatBody = z.object({ conversation_id: uuid.optional(), message: messageContent });
export const chatResponse = z.object({ conversation_id: z.uuid(), response: z.string(), tool_calls: z.array(toolCallDto) });
/** A turn held for the user's approval: what it said and did so far, and the call that waits. */
export const chatHeldResponse = chatResponse.extend({ pending_approval: pendingApprovalDto });
export const approveBody = z.object({ conversation_id: uuid, tool_call_id: z.string().min(1).max(200), approved: z.boolean() });
