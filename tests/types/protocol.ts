// Type-level tests of the message protocol (extension/types/protocol.d.ts): `tsc -p tsconfig.json`
// compiles this file and fails when a line marked `@ts-expect-error` is accepted, so each of those
// lines is a mistake tsc must keep catching. Nothing here runs.
import { ask } from '../../extension/pages/ask.js';
import type {
  ContentCommands,
  ContentRequests,
  Handlers,
  ListReply,
  PageRequests,
  PopupRequests,
  WorkspaceStatus,
} from '../../extension/types/protocol';

export async function pages(): Promise<void> {
  // A request by its name gets its own reply type.
  const list: ListReply = await ask('list');
  const preview = await ask('preview', { secret: 'JBSWY3DPEHPK3PXP' });
  preview.preview.code satisfies string;
  (await ask('ws-wait-approval')).status satisfies 'pending' | 'approved' | 'denied' | 'expired';
  void list;

  // @ts-expect-error: no request has this name (the old `ws-${string}` wildcard let any through)
  await ask('ws-no-such-request');
  // @ts-expect-error: a misspelt name
  await ask('lsit');
  // @ts-expect-error: a wrong reply shape: `list` answers accounts, not a count
  const wrong: { accounts: number } = await ask('list');
  void wrong;
  // @ts-expect-error: a missing field
  await ask('preview', {});
  // @ts-expect-error: a field of the wrong type
  await ask('ws-set-idle', { minutes: '15' });
  // @ts-expect-error: a content script's request is not a page's
  await ask('fields', { groups: 1 });
}

// The worker's tables must answer each request with its reply.
export const popupHandlers: Pick<Handlers<PopupRequests>, 'codes'> = {
  codes: async () => ({ codes: [] }),
};
export const badPopupHandlers: Pick<Handlers<PopupRequests>, 'codes'> = {
  // @ts-expect-error: a handler whose reply has the wrong shape
  codes: async () => ({ codes: 1 }),
};
export const contentHandlers: Handlers<ContentRequests, { tabId: number }> = {
  fields: async (message, frame) => {
    // Fields arrive unchecked: usable only after a check, and only the names the protocol has.
    // @ts-expect-error: a field the request does not have
    void message.password;
    void frame.tabId;
    return typeof message.groups === 'number' && message.groups > 0 ? { code: '123456' } : {};
  },
  username: async () => ({}),
};
export const commandHandlers: Handlers<ContentCommands> = {
  ping: async () => ({}),
  rescan: async () => ({}),
  // @ts-expect-error: `fill` answers whether it filled
  fill: async () => ({ done: true }),
  'sms-waiting': async () => ({}),
  'sms-unreachable': async () => ({}),
  'sms-stop': async () => ({}),
};
// @ts-expect-error: a table that leaves a request unanswered
export const missing: Handlers<Pick<PageRequests, 'list' | 'codes'>> = { codes: async () => ({ codes: [] }) };

// The workspace status is a union on `stage`: a trusted device's name is there without a check
// only after the stage says so.
export function stageNarrows(ws: WorkspaceStatus): string {
  // @ts-expect-error: `deviceName` is not known before narrowing on `stage`
  void ws.deviceName;
  return ws.stage === 'trusted' ? ws.deviceName : ws.server;
}
