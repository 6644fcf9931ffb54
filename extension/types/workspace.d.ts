// This device's membership of a workspace as the worker stores it (`chrome.storage.local`,
// `workspace`; background/workspace/state.js), by `stage`. Type-only.

/** What every stage holds. */
interface Common {
  server: string;
  email: string;
  /** The person chose Remind me later: the session stays untrusted. */
  remindLater: boolean;
  /** Keys are cleared after this long without use. */
  idleMinutes: number;
}

/** A registered device: its id, token and keys' public half. */
interface Device {
  token: string;
  deviceId: string;
  deviceName: string;
  devicePublicKeys: string;
  /** The device storage key (base64url), until an unlock PIN is chosen. */
  storageKey?: string;
  /** `Vault.exportDevice` under the storage key, until an unlock PIN is chosen. */
  deviceBlob?: string;
}

/** Who the user is: the server says so once the mailbox is proved or the device approved. */
export interface Known {
  userId: string;
  workspaceId: string;
  workspaceName: string;
  /** The user already has keys (a later device). */
  hasKeys: boolean;
  /** How many devices could approve this one. */
  trustedDevices: number;
}

/** How a registered device is being verified (`choose`: not decided yet; the person picks). */
export type Route = 'choose' | 'email' | 'approval';

export interface ApprovalRequestState {
  id: string;
  /** The 3-digit number shown here and typed on the trusted device. */
  number: number;
  expiresAt: number;
}

/** Server and e-mail given, no device yet. */
export interface Begun extends Common {
  stage: 'begun';
}

/** Named and registered, waiting to be verified; the user becomes known along the way. */
export interface Registered extends Common, Device, Partial<Known> {
  stage: 'registered';
  emailVerified: boolean;
  route: Route;
  request?: ApprovalRequestState;
}

/** A trusted device. */
export interface Trusted extends Common, Device, Known {
  stage: 'trusted';
  emailVerified?: boolean;
  route?: Route;
  request?: undefined;
}

export type Workspace = Begun | Registered | Trusted;
export type Stage = Workspace['stage'];

/** What `state.update` may change: any field of any stage (the stage too, when it moves on). */
export type WorkspacePatch = Partial<
  Omit<Begun, 'stage'> & Omit<Registered, 'stage' | 'request'> & Omit<Trusted, 'stage' | 'request'>
> & {
  stage?: Stage;
  request?: ApprovalRequestState;
};
