// The detector's API: content/detector.js defines it on globalThis (no modules in content scripts).

export interface DetectedGroup {
  /** One field for the whole code, or one box per character. */
  kind: 'single' | 'segmented';
  /** The field, or the boxes in the order the characters go (visual order: rows top to bottom, left to right). */
  fields: HTMLInputElement[];
  /** 0..1: how sure the detector is that this is a one-time-code field. */
  confidence: number;
  /** Which signals decided, for people debugging a page. */
  reason: string;
  /**
   * Where the page says the code comes from: an authenticator app, SMS or e-mail; 'unknown' when
   * it does not say. Autofill sends TOTP codes to 'app' | 'unknown' and SMS codes to 'sms' | 'unknown'.
   */
  channel: 'app' | 'sms' | 'email' | 'unknown';
  /**
   * The kind of code the field takes, the same judgement as `channel` named by code:
   * 'totp' (channel 'app'), 'sms', 'email', or 'either' (channel 'unknown': TOTP or SMS both fit).
   */
  code: 'totp' | 'sms' | 'email' | 'either';
  /** A field of the group is disabled now (often until a "Send code" button is pressed): fill once enabled. */
  disabled: boolean;
  /**
   * The group sits on a two-factor *setup* step: the page shows a new key (QR code, otpauth:// link or the key
   * as text) and asks for its first code. No saved account's code goes there.
   */
  setup: boolean;
  /** The key the setup step shows as text (an otpauth:// URI or a base32 key), when it does; else null. */
  setupKey: string | null;
}

export interface LatchkeyDetectorApi {
  detect(root?: Document | Element | ShadowRoot): DetectedGroup[];
  /**
   * Whether a person can see the field now (the rule `detect` applies; autofill checks it again just before writing).
   */
  isVisible(input: HTMLInputElement): boolean;
  /**
   * How many fields that read like a code the last `detect` left out as drawn but hidden from the person (they may show
   * later).
   */
  lastHidden(): number;
}

declare global {
  var LatchkeyDetector: LatchkeyDetectorApi;
}
