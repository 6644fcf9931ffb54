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
  | { type: 'fill-chosen'; tabId: number; id: string }
  | { type: `ws-${string}`; [field: string]: unknown };

/** What a content script may ask: "this frame has N fillable code fields (0: none any more)". */
export type ContentRequest = { type: 'fields'; groups: number };

/** What the worker sends to a content script (in one frame, one document). */
export type ContentCommand = { type: 'ping' } | { type: 'rescan' } | { type: 'fill'; code: string };

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
  /** Shared accounts come from the workspace vault (their id starts with `ws:`). */
  source?: 'local' | 'workspace';
  role?: 'owner' | 'member';
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

export type ListReply = { accounts: AccountView[]; version: string; workspace: WorkspaceStatus };
export type CodesReply = { codes: CodeView[] };
export type PreviewReply = { preview: PreviewView };
export type AddReply = { id: string };
export type PageReply = { page: PageView };
/** `waiting`: nothing filled yet; the worker waits for the chosen account's SMS code. */
export type FillReply = { filled: boolean; waiting?: boolean };
/**
 * `waiting`: the worker waits for the account's SMS code and will send it as a `fill` with `sms`.
 * `choose`: several accounts with a managed number fit; the person picks one in the popup.
 */
export type FieldsReply = { code?: string; waiting?: boolean; choose?: boolean };

/** Where this device stands with a workspace (popup banner, join page, dashboard). */
export interface WorkspaceStatus {
  /** none: never joined; begun: server and e-mail given; registered: pending; trusted. */
  stage: 'none' | 'begun' | 'registered' | 'trusted';
  server: string;
  email: string;
  remindLater: boolean;
  deviceName?: string;
  workspaceName?: string;
  route?: 'choose' | 'email' | 'approval';
  emailVerified?: boolean;
  hasKeys?: boolean;
  /** The vault is closed: Lock, the idle timeout, a browser start, or no unlock PIN chosen yet. */
  locked: boolean;
  /** This device has an unlock PIN (else the popup asks for one once the device is trusted). */
  pinSet: boolean;
  /** Wrong PINs in a row so far (kept across worker and browser restarts). */
  pinFailures: number;
  /** Wrong PINs still allowed before the device's keys are wiped. */
  pinTriesLeft: number;
  idleMinutes: number;
  /** Why this device's workspace data was wiped, once. */
  notice: string | null;
}

export interface DeviceView {
  id: string;
  name: string;
  status: 'pending' | 'approved' | 'denied' | 'disabled';
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

export interface ApprovalView {
  id: string;
  deviceId: string;
  deviceName: string;
  phrase: string;
  createdAt: number;
  expiresAt: number;
  /** As the server saw the request: the network address and the browser/OS of its User-Agent. */
  clientAddress: string;
  os: string;
  browser: string;
  /** A trusted device's name this one's is the same as or looks like: it cannot be approved so. */
  looksLike: string | null;
}

export type DevicesReply = {
  devices: DeviceView[];
  limit: number;
  /** Untrusted devices (pending, denied, disabled) not listed. */
  more: number;
  requests: ApprovalView[];
  /** All open requests; `requests` holds the newest 10 at most. */
  requestsTotal: number;
  email: string;
  workspaceName: string;
  deviceName: string;
};

/** The accounts a person owns, for sharing on the dashboard. */
export type SharingView = {
  accounts: Array<{
    id: string;
    name: string;
    /** The server's plaintext site: display only. */
    site: string;
    /** Where its codes may be filled, from its sealed sites record; null when it has none yet. */
    sites: string[] | null;
    role: 'owner' | 'member';
    /** Someone lost access (removed, deprovisioned): the owner should change the key. */
    needsRotation: boolean;
    /** Latchkey is the account's authenticator (it has a TOTP item). */
    hasCode: boolean;
    /** How many backup codes are kept, or null when none are. */
    backupCodes: number | null;
    members: Array<{ userId: string; email: string; displayName: string; role: 'owner' | 'member'; you: boolean }>;
    candidates: Array<{ id: string; email: string; displayName: string }>;
  }>;
};

/** An inbox as the dashboard shows it; `text` and `from` are hostile (textContent only). */
export type InboxView = {
  last: number;
  messages: Array<{
    seq: number;
    id: string;
    accountId: string;
    accountName: string;
    from: string;
    receivedAt: number;
    text: string;
    /** The code and its place in `text` (UTF-16 offsets). */
    code: { code: string; start: number; end: number } | null;
  }>;
};

/** An account's managed number; `supported`: its app accepts managed numbers. */
export type PhoneNumberView = { number: string | null; supported: boolean };
