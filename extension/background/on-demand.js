// @ts-check
/**
 * The on-demand wasm modules (DESIGN.md, "Heavy parts load on demand"): `messages` finds the code
 * in an SMS's text and reads e-mails, `devices` names devices and computes fingerprint phrases
 * (joining, approving), `importer` decodes QR codes and reads other authenticators' exports (it
 * reads the person's own keys and hands them back as otpauth:// links for the core to seal). None
 * holds a vault key: the key store lives in the always-loaded core (core.js). Their small JS glue
 * is imported statically, as a service worker cannot `import()`; their wasm is fetched
 * and instantiated the first time a caller awaits it, never at worker start.
 */
import initMessages, { mailRead, smsCode } from '../pkg/latchkey_messages.js';
import initDevices, { defaultDeviceName, fingerprintPhrase } from '../pkg/latchkey_devices.js';
import initImport, { Automations, backupCodes, importRead, qrScan } from '../pkg/latchkey_import.js';

/**
 * A loader that instantiates one module once; a failure is not kept, the next call retries.
 * @template T @param {(o: {module_or_path: string}) => Promise<unknown>} init @param {string} file @param {T} api
 * @returns {() => Promise<T>}
 */
function onDemand(init, file, api) {
  /** @type {Promise<T> | null} */
  let loading = null;
  return () => {
    loading ??= init({ module_or_path: chrome.runtime.getURL(`extension/pkg/${file}`) }).then(
      () => api,
      (e) => {
        loading = null;
        throw e;
      },
    );
    return loading;
  };
}

/**
 * SMS text → its code (`smsCode`): the inbox and the SMS wait. A raw e-mail → sender, subject, text,
 * code and verification links (`mailRead`, docs/mail.md).
 */
export const messages = onDemand(initMessages, 'latchkey_messages_bg.wasm', { smsCode, mailRead });

/** Device names and fingerprint phrases: the join flow and approval requests. */
export const devices = onDemand(initDevices, 'latchkey_devices_bg.wasm', { defaultDeviceName, fingerprintPhrase });

/**
 * QR codes in a captured tab or an image, and authenticator exports: Scan QR code and Import; the
 * automations' plans and page check: an account page's MFA settings and the job runner.
 */
export const importer = onDemand(initImport, 'latchkey_import_bg.wasm', {
  importRead,
  qrScan,
  backupCodes,
  Automations,
});
