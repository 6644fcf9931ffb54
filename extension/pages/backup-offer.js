// @ts-check
/**
 * The backup codes a scanned page shows beside its QR code, offered to keep with the account
 * (Emergency controls): the codes found are listed for the person to check, and kept only if they
 * tick the box. Never filled anywhere. Shared by the popup's Add account and the dashboard's Set
 * as MFA (the rule of what is a list of codes is the core's: crate/src/backup_codes.rs).
 */
import { el } from '../popup/dom.js';

/**
 * @param {string[]} codes as they will be kept
 * @returns {{box: HTMLElement, chosen: () => string[] | null}} `chosen`: the codes to keep, if ticked
 */
export function backupOffer(codes) {
  const box = el('div', 'stack backup-offer');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Backup codes on this page');
  const list = el('ul', 'backup-codes');
  list.append(...codes.map((c) => el('li', 'digits', c)));
  const keep = el('input');
  keep.type = 'checkbox';
  keep.id = `keep-backup-${Math.random().toString(36).slice(2)}`;
  const label = el('label', '', `Keep these ${codes.length} backup codes with the account`);
  label.htmlFor = keep.id;
  const row = el('div', 'actions start');
  row.append(keep, label);
  box.append(
    el('p', 'hint', `The page shows ${codes.length} backup codes. Check they are the app’s, then tick to keep them:`),
    list,
    row,
  );
  return { box, chosen: () => (keep.checked ? [...codes] : null) };
}
