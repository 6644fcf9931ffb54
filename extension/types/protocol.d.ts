// The messages between Latchkey's pages, content scripts and service worker. Type-only: nothing
// here ships; the worker checks every field again at run time because senders can be hostile.

/** What the popup (an extension page) may ask. The worker refuses these from content scripts. */
export type PopupRequest =
  | { type: 'list' }
  | { type: 'codes' }
  | { type: 'preview'; secret: string }
  | { type: 'add'; secret: string; name: string; site: string }
  | { type: 'update'; id: string; name: string; site: string }
  | { type: 'delete'; id: string }
  | { type: 'page'; tabId: number }
  | { type: 'fill-chosen'; tabId: number; id: string };

/** What a content script may ask: "this frame has N fillable code fields (0: none any more)". */
export type ContentRequest = { type: 'fields'; groups: number };

/** What the worker sends to a content script (in one frame, one document). */
export type ContentCommand =
  | { type: 'ping' }
  | { type: 'rescan' }
  | { type: 'fill'; code: string };

/** Every reply: `ok` and its data, or a sentence to show. */
export type Reply<T = {}> = ({ ok: true } & T) | { ok: false; error: string };

/** An account as the popup sees it: never the secret or its URI. */
export interface AccountView {
  id: string;
  name: string;
  issuer: string | null;
  account: string | null;
  site: string;
  kind: 'totp' | 'hotp' | 'steam';
  digits: number;
  period: number | null;
  createdAt: number;
}

export interface CodeView {
  id: string;
  code: string;
  secondsLeft: number | null;
  period: number | null;
}

/** What Save Code shows before anything is stored. */
export interface PreviewView {
  kind: 'totp' | 'hotp' | 'steam';
  algorithm: string;
  digits: number;
  period: number | null;
  issuer: string | null;
  account: string | null;
  secretBits: number;
  code: string;
  secondsLeft: number | null;
}

/** The popup's "On this page" section. */
export interface PageView {
  /** A fillable code field was reported by a frame of this tab. */
  hasField: boolean;
  /** The site of the tab's top frame, when it is a web page. */
  host: string | null;
  /** Why codes are not filled there (e.g. not HTTPS), when that is the case. */
  refusal: string | null;
  matches: Array<Pick<AccountView, 'id' | 'name' | 'issuer' | 'account' | 'site'>>;
}

export type ListReply = { accounts: AccountView[]; version: string };
export type CodesReply = { codes: CodeView[] };
export type PreviewReply = { preview: PreviewView };
export type AddReply = { id: string };
export type PageReply = { page: PageView };
export type FillReply = { filled: boolean };
export type FieldsReply = { code?: string };
