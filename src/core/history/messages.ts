/**
 * A minimal structural view of Jupyter messages as the frontend sees them.
 *
 * The lab layer converts each `IKernelConnection.anyMessage` argument
 * (`{ msg, direction }`) to this shape, so the capture core never imports
 * `@jupyterlab/services`. Only the fields Labbook reads are typed; anything
 * else a message carries is ignored.
 */

/** The channel a message travelled on. */
export type KernelChannel = 'shell' | 'iopub' | 'stdin' | 'control';

/** Which way a message went, seen from the frontend. */
export type MessageDirection = 'send' | 'recv';

/** A message header. `date` is ISO 8601 when present. */
export interface IMessageHeaderLike {
  msg_id: string;
  msg_type: string;
  date?: string;
  session?: string;
  username?: string;
  version?: string;
}

/** A Jupyter message, structurally. */
export interface IKernelMessageLike {
  channel: KernelChannel;
  header: IMessageHeaderLike;
  /** The header of the request this replies to; `{}` when there is none. */
  parent_header: Partial<IMessageHeaderLike>;
  content: { [key: string]: any };
  metadata: { [key: string]: any };
}

/** The id of the request a message answers, or null. */
export function parentMsgId(msg: IKernelMessageLike): string | null {
  const id = msg.parent_header ? msg.parent_header.msg_id : undefined;
  return typeof id === 'string' && id !== '' ? id : null;
}
