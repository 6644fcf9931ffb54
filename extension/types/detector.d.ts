// The detector's API: content/detector.js defines it on globalThis (no modules in content scripts).

export interface DetectedGroup {
  /** One field for the whole code, or one box per character. */
  kind: 'single' | 'segmented';
  /** The field, or the boxes in the order the characters go (visual order). */
  fields: HTMLInputElement[];
  /** 0..1: how sure the detector is that this is a one-time-code field. */
  confidence: number;
  /** Which signals decided, for people debugging a page. */
  reason: string;
  /** Where the page says the code comes from, when it says: an authenticator app, SMS or e-mail. */
  channel: 'app' | 'sms' | 'email' | 'unknown';
}

export interface LatchkeyDetectorApi {
  detect(root?: Document | Element): DetectedGroup[];
}

declare global {
  var LatchkeyDetector: LatchkeyDetectorApi;
}
