/** What a user asks of the workflow. Reasons and comments must be non-blank. */
export type Command =
  | { type: 'assign'; lead: string; supporting: readonly string[] }
  | { type: 'acknowledge' }
  | { type: 'decline'; reason: string }
  | { type: 'start' }
  | { type: 'block'; reason: string }
  | { type: 'unblock' }
  | { type: 'complete' }
  | { type: 'cancel'; reason: string }
  | { type: 'reopen'; reason: string }
  | { type: 'draftReport' }
  | { type: 'submitReport'; final: boolean }
  | { type: 'approveReport' }
  | { type: 'returnReport'; comments: string }
  | { type: 'acceptReport' }
  | { type: 'returnReview'; comments: string };
export type CommandType = Command['type'];

export const ACTION_COMMANDS = [
  'assign',
  'acknowledge',
  'decline',
  'start',
  'block',
  'unblock',
  'complete',
  'cancel',
  'reopen',
] as const satisfies readonly CommandType[];

export const REPORT_COMMANDS = [
  'draftReport',
  'submitReport',
  'approveReport',
  'returnReport',
  'acceptReport',
  'returnReview',
] as const satisfies readonly CommandType[];

export const COMMAND_TYPES: readonly CommandType[] = [...ACTION_COMMANDS, ...REPORT_COMMANDS];

/** The text each command must carry, where the workflow asks for one. */
export const REQUIRED_TEXT: Partial<Record<CommandType, 'reason' | 'comments'>> = {
  decline: 'reason',
  block: 'reason',
  cancel: 'reason',
  reopen: 'reason',
  returnReport: 'comments',
  returnReview: 'comments',
};
