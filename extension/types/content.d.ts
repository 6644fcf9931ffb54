// The content script's parts and what each defines on globalThis (no modules in content scripts):
// manifest.json loads them in this order into every frame, and autofill.js, loaded last, uses the
// others. Type-only.
import type { DetectedGroup } from './detector';
import type { ContentCommands, ContentRequests, FieldArgs, Handlers, Reply, ReplyTo } from './protocol';

/** content/fill.js: putting a code into a group of fields and checking it took. */
export interface LatchkeyFillApi {
  /** Fills and reads back, once more if it did not take; `isVisible` is checked before each write. */
  fill(group: DetectedGroup, code: string, isVisible: (field: HTMLInputElement) => boolean): Promise<boolean>;
  /** One box per character, or a field long enough. */
  fits(group: DetectedGroup, code: string): boolean;
  /** A person cannot type in the group yet (disabled or read-only). */
  isLocked(group: DetectedGroup): boolean;
}

/** content/mark.js: the on-page mark beside an SMS or e-mail code field. */
export interface LatchkeyMarkApi {
  readonly WAITING: 'Waiting for the SMS code…';
  readonly WAITING_EMAIL: 'Waiting for the e-mail code…';
  readonly WAITING_EITHER: 'Waiting for the SMS or e-mail code…';
  readonly CHOOSE: 'Several Latchkey accounts could get this code: choose one with the Latchkey button.';
  readonly UNREACHABLE: 'Latchkey cannot reach the SMS inbox: the server is unreachable. It keeps trying.';
  readonly SETUP: 'A new two-factor key: save it with the Latchkey button, and Latchkey fills its first code.';
  show(
    fields: HTMLInputElement[],
    sentence:
      | LatchkeyMarkApi['WAITING']
      | LatchkeyMarkApi['WAITING_EMAIL']
      | LatchkeyMarkApi['WAITING_EITHER']
      | LatchkeyMarkApi['CHOOSE']
      | LatchkeyMarkApi['UNREACHABLE']
      | LatchkeyMarkApi['SETUP'],
  ): void;
  hide(): void;
}

/** content/messaging.js: the content script's side of the protocol. */
export interface LatchkeyMessagesApi {
  /** Resolves with the reply, or null when the extension is gone. */
  ask<K extends keyof ContentRequests>(
    type: K,
    ...fields: FieldArgs<ContentRequests, K>
  ): Promise<Reply<ReplyTo<ContentRequests, K>> | null>;
  listen(handlers: Handlers<ContentCommands>): void;
}

/** content/watch.js: watching the page for code fields. */
export interface LatchkeyWatchApi {
  start(onScan: (found: DetectedGroup[]) => void): void;
  scan(): void;
  soon(): void;
  detect(): DetectedGroup[];
  stop(): void;
  /** A stable number per field. */
  idOf(field: HTMLInputElement): number;
}

declare global {
  var LatchkeyFill: LatchkeyFillApi;
  var LatchkeyMark: LatchkeyMarkApi;
  var LatchkeyMessages: LatchkeyMessagesApi;
  var LatchkeyWatch: LatchkeyWatchApi;
}
