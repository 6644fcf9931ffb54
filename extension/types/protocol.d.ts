// The messages between Latchkey's pages, content scripts and service worker: one map per direction,
// each request name to its fields and its reply. Type-only: nothing here ships; the worker checks
// every field again at run time because senders can be hostile, and judges who sent a message
// only by what the browser reports (`sender`), never by the message.
//
// - PageRequests: what Latchkey's own pages (popup, join page, dashboard) ask the worker. The worker
//   refuses them from anything but an extension page.
// - ContentRequests: what a content script asks the worker about its own frame. The worker answers
//   only for the frame the browser says sent it (tab, frame, document, origin).
// - ContentCommands: what the worker sends to one frame's content script (one document).

/**
 * No fields to send, or no data beyond `ok` in a reply. (`{}` says exactly that in an intersection
 * or as a constraint; `Record<string, never>` would forbid the `ok` a reply carries.)
 */
// biome-ignore lint/complexity/noBannedTypes: the empty object type is meant, see above
export type Empty = {};

/** Every reply: `ok` and its data, or a sentence to show. */
export type Reply<T = Empty> = ({ ok: true } & T) | { ok: false; error: string };

/** One request's fields and its reply's data. */
interface Exchange<Fields, Answer> {
  request: Fields;
  reply: Answer;
}

/** The reply data of a request. */
export type ReplyTo<M, K extends keyof M> = M[K] extends Exchange<unknown, infer R> ? R : never;
/** The fields of a request. */
export type FieldsOf<M, K extends keyof M> = M[K] extends Exchange<infer F, unknown> ? F : never;
/** The arguments after the name: the fields, optional when there are none to give. */
export type FieldArgs<M, K extends keyof M> =
  Empty extends FieldsOf<M, K> ? [fields?: FieldsOf<M, K>] : [fields: FieldsOf<M, K>];

/**
 * A received message's fields, as the receiver must treat them: named as the map says, of unknown
 * value until checked (`str`, `int` in background/senders.js).
 */
export type Untrusted<F> = { readonly [K in keyof F]?: unknown };

/** The worker's table for a map: one handler per request, each giving that request's reply. */
export type Handlers<M, Context = void> = {
  [K in keyof M]: (message: Untrusted<FieldsOf<M, K>>, context: Context) => Promise<ReplyTo<M, K>>;
};

// ---- Latchkey's own pages → the worker ----

/** A key the worker holds from a scan: entry `index` of scan `importId`. */
export type ScanRef = { importId: string; index: number };
/** Add account's key: typed or pasted (`secret`), or scanned (`scan`). */
export type KeyFields = { secret: string; scan?: undefined } | { scan: ScanRef; secret?: undefined };

/** The popup's requests: local accounts, codes, the page in the current tab. */
export interface PopupRequests {
  list: Exchange<Empty, ListReply>;
  codes: Exchange<Empty, CodesReply>;
  /** The key typed (`secret`) or one a scan found (`scan`: the worker holds it). */
  preview: Exchange<KeyFields, PreviewReply>;
  /** `setupTab`: saved from the setup step this tab shows (its first code then fills there). */
  /** `backupCodes`: the codes a scan found and the person chose to keep, one a line (workspace accounts). */
  add: Exchange<KeyFields & { name: string; site: string; setupTab?: number; backupCodes?: string }, AddReply>;
  /** Add account's Scan QR code on this page: tab `tabId` as shown (then `returnTo` is brought back). */
  'scan-page': Exchange<{ tabId: number; returnTo?: number }, QrScanView>;
  /** Add account's pasted picture (base64): its QR codes, as `scan-page` finds them on a tab. */
  'scan-image': Exchange<{ image: string }, QrScanView>;
  /** Show key: the scanned entry's key, as the otpauth:// link, when the person asks to see it. */
  'scan-reveal': Exchange<ScanRef, { secret: string }>;
  update: Exchange<{ id: string; name: string; site: string }, Empty>;
  delete: Exchange<{ id: string }, Empty>;
  page: Exchange<{ tabId: number }, PageReply>;
  'fill-chosen': Exchange<{ tabId: number; id: string }, FillReply>;
}

/** The workspace's requests (join page, dashboard, the popup's banner). */
export interface WorkspaceRequests {
  'ws-status': Exchange<Empty, { workspace: WorkspaceStatus }>;
  'ws-begin': Exchange<{ server: string; email: string }, Empty>;
  'ws-default-name': Exchange<Empty, { name: string }>;
  'ws-register': Exchange<{ name: string }, { route: 'choose' }>;
  'ws-send-code': Exchange<Empty, { sentTo: string; expiresIn: number; outbox: boolean }>;
  'ws-verify-code': Exchange<{ code: string }, { next: 'recover' | 'kit' }>;
  'ws-create-kit': Exchange<Empty, { kit: string; email: string }>;
  'ws-confirm-kit': Exchange<Empty, TrustedReply>;
  'ws-recover': Exchange<{ kit: string }, TrustedReply>;
  'ws-request-approval': Exchange<Empty, { phrase: string; number: number; expiresAt: number }>;
  'ws-wait-approval': Exchange<Empty, ApprovalStatusReply>;
  'ws-remind-later': Exchange<Empty, Empty>;
  'ws-dismiss-notice': Exchange<Empty, Empty>;
  'ws-lock': Exchange<Empty, Empty>;
  'ws-set-pin': Exchange<{ pin: string }, Empty>;
  'ws-change-pin': Exchange<{ current: string; pin: string }, Empty>;
  'ws-unlock': Exchange<{ pin: string }, Empty>;
  'ws-set-idle': Exchange<{ minutes: number }, Empty>;
  'ws-devices': Exchange<Empty, DevicesReply>;
  'ws-approvals': Exchange<{ wait?: number }, { requests: ApprovalView[]; total: number }>;
  'ws-approve': Exchange<{ id: string; number: string }, Empty>;
  'ws-deny': Exchange<{ id: string }, Empty>;
  'ws-rename': Exchange<{ id: string; name: string }, Empty>;
  'ws-disable': Exchange<{ id: string }, Empty>;
  'ws-sharing': Exchange<Empty, SharingView>;
  'ws-set-mfa': Exchange<{ accountId: string; secret: string }, Empty>;
  /** Import: the file's bytes (base64) and its password → the preview; nothing stored. */
  'ws-import-preview': Exchange<{ file: string; password?: string }, ImportPreview>;
  'ws-qr-tabs': Exchange<Empty, { tabs: Array<{ tabId: number; title: string; host: string }> }>;
  /** Scan QR code on a tab (brought to the front, then `returnTo` again). */
  'ws-qr-scan-tab': Exchange<{ tabId: number; returnTo?: number }, QrScanView>;
  /** Scan QR code in an image file (base64). */
  'ws-qr-scan-image': Exchange<{ image: string }, QrScanView>;
  /**
   * Confirm: each pick's entry becomes a new account (`to: "new"`, with its name and site) or the
   * MFA of account `to`.
   */
  'ws-import-confirm': Exchange<
    { importId: string; picks: Array<{ index: number; to: string; name?: string; site?: string }> },
    { imported: number; failed: Array<{ index: number; error: string }> }
  >;
  'ws-set-sites': Exchange<{ accountId: string; sites: string }, { sites: string[] }>;
  'ws-save-backup-codes': Exchange<{ accountId: string; codes: string }, { count: number }>;
  'ws-reveal-backup-codes': Exchange<{ accountId: string }, { codes: string[] }>;
  'ws-automation-tasks': Exchange<{ accountId: string }, AutomationsView>;
  'ws-automation-start': Exchange<{ accountId: string; task: string; origin: string }, { jobId: string }>;
  'ws-automation-dry-run': Exchange<{ accountId: string; task: string; origin: string }, DryRunView>;
  'ws-share': Exchange<{ accountId: string; userId: string }, Empty>;
  'ws-rotate': Exchange<{ accountId: string }, Empty>;
  'ws-unshare': Exchange<{ accountId: string; userId: string }, Empty>;
  'ws-inbox': Exchange<{ account?: string | null; after?: number }, InboxView>;
  'ws-inbox-wait': Exchange<{ account?: string | null; after?: number }, InboxView>;
  'ws-phone': Exchange<{ accountId: string }, PhoneNumberView>;
  'ws-phone-create': Exchange<{ accountId: string }, { number: string | null }>;
  'ws-phone-release': Exchange<{ accountId: string }, Empty>;
  'ws-address': Exchange<{ accountId: string }, EmailAddressView>;
  'ws-address-create': Exchange<{ accountId: string }, { address: string }>;
  'ws-console-access': Exchange<Empty, { allowed: boolean; role: ConsoleRole }>;
  'ws-console-users': Exchange<Empty, ConsoleUsersView>;
  'ws-console-invite': Exchange<{ email: string; role: string; displayName?: string }, { emailSent: boolean }>;
  'ws-console-resend': Exchange<{ id: string }, { emailSent: boolean }>;
  'ws-console-cancel': Exchange<{ id: string }, Empty>;
  'ws-console-set-role': Exchange<{ userId: string; role: string }, Empty>;
  'ws-console-preview': Exchange<{ userId: string; transferTo?: string | null }, DeprovisionPreview>;
  'ws-console-deprovision': Exchange<{ userId: string; transferTo?: string | null }, DeprovisionResult>;
  'ws-console-rotations': Exchange<Empty, { accounts: RotationView[] }>;
  'ws-console-apps': Exchange<Empty, { apps: AppView[] }>;
  'ws-console-save-app': Exchange<AppView, Empty>;
  'ws-console-audit': Exchange<AuditFilters, AuditPage>;
  'ws-console-audit-export': Exchange<
    AuditFilters & { format: 'jsonl' | 'csv' },
    { text: string; filename: string; complete: boolean }
  >;
  'ws-console-scim-tokens': Exchange<Empty, { tokens: ScimTokenView[] }>;
  'ws-console-scim-create': Exchange<{ name: string }, { token: ScimTokenView & { secret: string } }>;
  'ws-console-scim-revoke': Exchange<{ id: string }, Empty>;
  /** The Automation Log: the jobs of the caller's accounts, newest first, and one job's steps. */
  'ws-automations': Exchange<
    AutomationFilters,
    { jobs: AutomationJobView[]; accounts: Array<{ id: string; name: string }> }
  >;
  'ws-automation': Exchange<{ jobId: string }, { job: AutomationJobView; steps: AutomationStepView[] }>;
}

// ---- The Automation Log's views (extension/background/workspace/automations.js) ----
// Every word is a key of a table in extension/pages/automation-words.js (the worker refuses others).

export interface AutomationFilters {
  account?: string | null;
  status?: string | null;
}

export interface AutomationJobView {
  id: string;
  accountId: string;
  /** From the vault; "" when this device does not read the account (any more). */
  accountName: string;
  task: keyof typeof import('../pages/automation-words.js').TASKS;
  startedBy: string;
  /** "Name (e-mail)" or the e-mail; "" when the user is not in the workspace's list. */
  startedByName: string;
  status: keyof typeof import('../pages/automation-words.js').STATUSES;
  reason: keyof typeof import('../pages/automation-words.js').REASONS | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface AutomationStepView {
  seq: number;
  line: number;
  kind: keyof typeof import('../pages/automation-words.js').STEP_KINDS;
  outcome: keyof typeof import('../pages/automation-words.js').OUTCOMES;
  reason: keyof typeof import('../pages/automation-words.js').REASONS | null;
  at: number;
}

// ---- The Workspace console's views (extension/background/workspace/console.js) ----

export type ConsoleRole = 'owner' | 'super_admin' | 'admin' | 'user';

/** A role the caller may or may not give, and the server's sentence when not. */
export interface RoleChoice {
  role: ConsoleRole;
  allowed: boolean;
  why: string | null;
}

export interface ConsoleUsersView {
  users: Array<{
    id: string;
    email: string;
    displayName: string;
    role: ConsoleRole;
    status: 'invited' | 'active' | 'deprovisioned';
    you: boolean;
    trustedDevices: number;
    lastSeenAt: number | null;
    invitation: { id: string; expiresAt: number; expired: boolean; manageable: boolean } | null;
    roleChoices: RoleChoice[];
    deprovisionRefused: string | null;
  }>;
  you: {
    id: string;
    role: ConsoleRole;
    invitableRoles: RoleChoice[];
    managesScimTokens: boolean;
    editsCatalog: boolean;
  };
}

export interface PersonRef {
  userId: string;
  email: string;
  displayName: string;
}

export interface OwnershipPlanView {
  handovers: Array<{ accountId: string; name: string; reason: string; newOwners: PersonRef[] }>;
  orphaned: Array<{ accountId: string; name: string }>;
}

export interface DeprovisionPreview extends OwnershipPlanView {
  devicesToDisable: number;
  accountsToRekey: Array<{ accountId: string; name: string }>;
}

export interface DeprovisionResult extends OwnershipPlanView {
  devicesDisabled: number;
  tokensRevoked: number;
  accountsMarkedForRotation: number;
}

export interface RotationView {
  id: string;
  name: string;
  site: string;
  owners: PersonRef[];
}

export interface AppView {
  id: string;
  name: string;
  site: string;
  acceptsManagedNumber: boolean;
  voipOk: boolean;
  acceptsManagedEmail: boolean;
}

export interface AuditFilters {
  user?: string | null;
  account?: string | null;
  action?: string | null;
  since?: number | null;
  until?: number | null;
  cursor?: string | null;
}

export interface AuditEventView {
  seq: number;
  at: number;
  actorUserId: string | null;
  actorDeviceId: string | null;
  clientAddress: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  accountId: string | null;
  /** The event's detail as JSON text. */
  detail: string;
  outcome: string;
}

export interface AuditPage {
  events: AuditEventView[];
  next: string;
  more: boolean;
}

export interface ScimTokenView {
  id: string;
  name: string;
  createdAt: number;
  createdBy: string | null;
  lastUsedAt: number | null;
}

/** Everything an extension page may ask. */
export interface PageRequests extends PopupRequests, WorkspaceRequests {}

// ---- A content script → the worker ----

/**
 * "This frame has `groups` code fields a TOTP code may fill, `sms` an SMS code may fill and `email`
 * an e-mailed code may fill" (0: none any more; a field that could take either counts in both).
 * The answer is a code for this frame, or word that one will follow.
 */
export interface ContentRequests {
  fields: Exchange<{ groups: number; sms?: number; email?: number; setup?: boolean; secret?: string }, FieldsReply>;
  /** The person typed or filled a user name (never a password) into this frame's sign-in form. */
  username: Exchange<{ value: string }, Empty>;
}

// ---- The worker → one frame's content script ----

export interface ContentCommands {
  /** Is the script there (and the document the same)? */
  ping: Exchange<Empty, Empty>;
  /** Accounts changed: report the frame's fields again. */
  rescan: Exchange<Empty, Empty>;
  /**
   * Fill this code; `sms`: a code from the inbox (the wait is over), of `kind` (default `sms`): it
   * goes only to fields that take that kind.
   */
  fill: Exchange<{ code: string; sms?: boolean; kind?: 'sms' | 'email' }, { filled: boolean; reached?: boolean }>;
  /** Show "Waiting for the SMS code…" (or the e-mail code, or either, as `via` says). */
  'sms-waiting': Exchange<{ via?: WaitVia }, Empty>;
  /** The inbox cannot be reached (the server is away); the wait goes on. */
  'sms-unreachable': Exchange<Empty, Empty>;
  /** The wait ended: take the mark away. */
  'sms-stop': Exchange<Empty, Empty>;
}

// ---- Shapes ----

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
  /**
   * The tab shows a two-factor setup step: no saved account's code is filled there. `secret`: the
   * key the page shows as text (the page's suggestion, for the person to confirm), when readable.
   */
  setup: { host: string; secret: string | null } | null;
}

/**
 * The vault's freshness, for a trusted unlocked device: `syncedAt` (Unix ms) of the data shown, null
 * when none is; `unreachable`: why the server could not be reached at the last try (the data then
 * comes from the offline copy); `copyProblem`: why the offline copy was not used (altered, another
 * device's).
 */
export type VaultHealth = { syncedAt: number | null; unreachable: string | null; copyProblem: string | null };
export type ListReply = {
  accounts: AccountView[];
  version: string;
  workspace: WorkspaceStatus;
  sync: VaultHealth | null;
};
export type CodesReply = { codes: CodeView[] };
export type PreviewReply = { preview: PreviewView };
export type AddReply = { id: string; keptBackupCodes?: number };
export type PageReply = { page: PageView };
/** `waiting`: nothing filled yet; the worker waits for the chosen account's texted or e-mailed code. */
export type FillReply = { filled: boolean; waiting?: boolean; via?: WaitVia };
/** What an inbox wait waits for: a texted code, an e-mailed one, or whichever comes first. */
export type WaitVia = 'sms' | 'email' | 'either';
/**
 * `waiting`: the worker waits for the account's texted or e-mailed code (`via`) and will send it as
 * a `fill` with `sms`. `choose`: several accounts with a managed number or address fit; the person
 * picks one in the popup.
 */
export type FieldsReply = {
  code?: string;
  waiting?: boolean;
  via?: WaitVia;
  choose?: boolean;
  /** A two-factor setup step: no saved account's code goes there; the popup offers to save the key. */
  setup?: boolean;
  /** The code is about to expire: ask again in this many milliseconds for the next one. */
  retryIn?: number;
};
/** The device is trusted; `moved`: local accounts moved into the vault. */
export type TrustedReply = { trusted: true; moved: number };
export type ApprovalStatusReply = {
  status: 'pending' | 'approved' | 'denied' | 'expired';
  reason?: 'denied' | 'wrong_number';
};

/** What every stage of the workspace status says. */
interface StatusCommon {
  server: string;
  email: string;
  remindLater: boolean;
  idleMinutes: number;
  /** The vault is closed: Lock, the idle timeout, a browser start, or no unlock PIN chosen yet. */
  locked: boolean;
  /** This device has an unlock PIN (else the popup asks for one once the device is trusted). */
  pinSet: boolean;
  /** Wrong PINs in a row so far (kept across worker and browser restarts). */
  pinFailures: number;
  /** Wrong PINs still allowed before the device's keys are wiped. */
  pinTriesLeft: number;
  /** Why this device's workspace data was wiped, once. */
  notice: string | null;
}

/**
 * Where this device stands with a workspace (popup banner, join page, dashboard), by `stage`:
 * none: never joined; begun: server and e-mail given; registered: the device is named and waits to
 * be verified; trusted.
 */
export type WorkspaceStatus =
  | (StatusCommon & { stage: 'none' })
  | (StatusCommon & { stage: 'begun' })
  | (StatusCommon & {
      stage: 'registered';
      deviceName: string;
      /** How this device is being verified (`choose`: not decided yet). */
      route: 'choose' | 'email' | 'approval';
      emailVerified: boolean;
      /** Known once the mailbox is proved: the user already has keys (a later device). */
      hasKeys?: boolean;
      workspaceName?: string;
    })
  | (StatusCommon & { stage: 'trusted'; deviceName: string; workspaceName: string });

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
    type: 'sms' | 'email';
    id: string;
    accountId: string;
    accountName: string;
    /** The account's app, as its (plaintext) site: what the inbox's app filter offers. */
    app: string;
    /** The SMS sender, or the e-mail's From address (else its envelope sender). */
    from: string;
    receivedAt: number;
    /** The SMS text, or the e-mail's text (HTML reduced to text by the core, never rendered). */
    text: string;
    /** E-mail only: its subject. */
    subject: string | null;
    /** The code and its place (UTF-16 offsets) in `text` or, for an e-mail, its `subject`. */
    code: { code: string; in: 'subject' | 'text'; start: number; end: number } | null;
    /** E-mail only: links in `text` (UTF-16 offsets), opened only when the person clicks. */
    links: Array<{ url: string; start: number; end: number }>;
    /** E-mail only: the server's sender verification; `verified` is the "verified sender" mark. */
    auth: {
      dkim: MailOutcome;
      spf: MailOutcome;
      dmarc: MailOutcome;
      domain: string | null;
      verified: boolean;
    } | null;
  }>;
};

export type MailOutcome = 'pass' | 'fail' | 'none' | 'temperror' | 'unchecked';

/** An account's managed number; `supported`: its app accepts managed numbers. */
export type PhoneNumberView = { number: string | null; supported: boolean };

/**
 * An account's managed e-mail address; `supported`: its app accepts one; `proposed`: for an owner
 * when it has none, exactly the address creating one gives (null without a server mail domain).
 */
export type EmailAddressView = { address: string | null; supported: boolean; proposed: string | null };

/** One entry of an import or a scanned QR code as a page sees it: never its key. */
export type ImportEntryView = Omit<import('../pkg/latchkey_import.js').ImportEntry, 'uri'>;

export type ImportPreview = {
  importId: string;
  format: 'google' | 'aegis' | '2fas' | 'andotp' | 'bitwarden' | 'uris';
  batches: Array<{ index: number; size: number; id: number }>;
  entries: ImportEntryView[];
};

export type QrScanView = {
  importId: string;
  /** Backup codes the scanned tab shows beside its QR code (the core's rule), for the person to confirm. */
  backupCodes?: string[] | null;
  /** The popup's scan: whether a new account can keep backup codes (a trusted, unlocked workspace). */
  canKeep?: boolean;
  /** Each QR code found: its corners, why it is refused (`error`), or its entries (indexes from `first`). */
  codes: Array<{
    corners: [number, number][];
    error: string | null;
    batches: Array<{ index: number; size: number; id: number }>;
    first: number;
    entries: ImportEntryView[];
  }>;
};

/** What the dashboard shows of an account's automations (background/automation/runner.js). */
/** A dry run against the app (nothing filled, clicked or read; no job): one word per step. */
export interface DryRunView {
  app: string;
  task: string;
  /** The app's address the plan was resolved on. */
  origin: string;
  steps: Array<{
    line: number;
    kind: string;
    /** The step as the core describes it (from the automation file, never from the page). */
    step: string;
    outcome: 'opened' | 'found' | 'missing' | 'skipped' | 'not_reached' | 'off_site' | 'stopped';
  }>;
}

export interface AutomationsView {
  /** The tasks its app has a packaged automation for (owners only; [] for members). */
  available: Array<{ task: 'turn-on-totp' | 'add-number' | 'turn-on-sms'; app: string }>;
  /** Where the app is, as saved (a login's address), else https:// and the account's site. */
  origin: string;
  /** Whether the account holds a managed number (Add the number to the app, Turn on SMS MFA). */
  managedNumber: boolean;
  /** The job this browser ran or runs last for the account, or null. */
  job: {
    jobId: string;
    task: string;
    status: 'running' | 'succeeded' | 'failed' | 'needs_attention';
    line: number;
    step: string;
    secret: 'none' | 'pending' | 'confirmed';
    backupCodes: number;
    reason: string | null;
    startedAt: number;
    endedAt?: number;
  } | null;
}
