// Writes the import known-answer files in this folder from each format's documentation, with
// Node's own crypto (OpenSSL's scrypt, PBKDF2 and AES-GCM): an implementation independent of the
// core's. Fixed salts and nonces make the output reproducible: `node make.mjs` rewrites the same
// bytes. The accounts are in accounts.json, which the tests compare every import against.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const write = (name, data) => fs.writeFileSync(path.join(here, name), data);
const PASSWORD = 'correct horse battery staple';

// The accounts every file holds (base32 secrets, as the apps show them).
const accounts = [
  { kind: 'totp', issuer: 'GitHub', account: 'alice@example.com', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', digits: 6, period: 30 },
  { kind: 'totp', issuer: 'Example Corp', account: 'bob', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', algorithm: 'SHA256', digits: 8, period: 60 },
  { kind: 'hotp', issuer: 'VPN', account: 'carol', secret: 'MFRGGZDFMZTWQ2LK', algorithm: 'SHA1', digits: 6, counter: 7 },
  { kind: 'steam', issuer: 'Steam', account: 'dave', secret: 'ONSWG4TFOQFA', algorithm: 'SHA1', digits: 5, period: 30 },
];
write('accounts.json', JSON.stringify(accounts, null, 2) + '\n');

const fixed = (n, seed) => crypto.createHash('sha256').update(seed).digest().subarray(0, n);
const gcm = (key, iv, plain) => {
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return { ct, tag: c.getAuthTag() };
};
const b32decode = (s) => {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, acc = 0; const out = [];
  for (const ch of s) { acc = (acc << 5) | A.indexOf(ch); bits += 5; if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 255); } }
  return Buffer.from(out);
};

// --- Aegis (docs/vault.md): the db, then a password slot (scrypt n=2^15 r=8 p=1).
const aegisDb = {
  version: 3,
  entries: [
    ...accounts.map((a, i) => ({
      type: a.kind, uuid: `00000000-0000-0000-0000-00000000000${i}`, name: a.account, issuer: a.issuer, note: '', favorite: false, icon: null,
      info: { secret: a.secret, algo: a.algorithm, digits: a.digits, ...(a.kind === 'hotp' ? { counter: a.counter } : { period: a.period }) },
    })),
    { type: 'motp', uuid: '00000000-0000-0000-0000-000000000009', name: 'eve', issuer: 'Old VPN', info: { secret: 'JBSWY3DPEHPK3PXP', algo: 'MD5', digits: 6, period: 10, pin: '1234' } },
  ],
  groups: [],
};
write('aegis-plain.json', JSON.stringify({ version: 1, header: { slots: null, params: null }, db: aegisDb }, null, 2) + '\n');
{
  const master = fixed(32, 'aegis master');
  const dbNonce = fixed(12, 'aegis db nonce');
  const { ct, tag } = gcm(master, dbNonce, Buffer.from(JSON.stringify(aegisDb)));
  const salt = fixed(32, 'aegis salt');
  const kek = crypto.scryptSync(PASSWORD, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 << 20 });
  const slotNonce = fixed(12, 'aegis slot nonce');
  const slot = gcm(kek, slotNonce, master);
  const file = {
    version: 1,
    header: {
      slots: [
        { type: 2, uuid: 'biometric', key: '00'.repeat(32), key_params: { nonce: '00'.repeat(12), tag: '00'.repeat(16) } },
        { type: 1, uuid: '11111111-1111-1111-1111-111111111111', key: slot.ct.toString('hex'), key_params: { nonce: slotNonce.toString('hex'), tag: slot.tag.toString('hex') }, n: 32768, r: 8, p: 1, salt: salt.toString('hex'), repaired: true, is_backup: false },
      ],
      params: { nonce: dbNonce.toString('hex'), tag: tag.toString('hex') },
    },
    db: ct.toString('base64'),
  };
  const text = JSON.stringify(file, null, 2) + '\n';
  write('aegis-encrypted.json', text);
  write('aegis-encrypted-truncated.json', text.slice(0, Math.floor(text.length * 0.6)));
  // One byte of the ciphertext changed: GCM's tag must refuse it.
  const bad = Buffer.from(ct); bad[5] ^= 1;
  write('aegis-encrypted-corrupted.json', JSON.stringify({ ...file, db: bad.toString('base64') }, null, 2) + '\n');
  // A crafted file asking for 2^24 · 8 · 128 bytes = 16 GiB of scrypt memory.
  const costly = structuredClone(file); costly.header.slots[1].n = 1 << 24;
  write('aegis-encrypted-costly.json', JSON.stringify(costly, null, 2) + '\n');
}

// --- 2FAS (.2fas, schema 4): services; encrypted as base64(ct‖tag):base64(salt):base64(iv).
const twofasServices = [
  ...accounts.map((a, i) => ({
    name: a.issuer, secret: a.secret, updatedAt: 1700000000000,
    otp: { label: `${a.issuer}:${a.account}`, account: a.account, issuer: a.issuer, digits: a.digits, period: a.period ?? 30, algorithm: a.algorithm, counter: a.counter ?? 0, tokenType: a.kind.toUpperCase(), source: 'Link' },
    order: { position: i }, icon: { selected: 'Label', label: { text: 'XX', backgroundColor: 'Default' } },
  })),
  { name: 'Broken', secret: 'NOT-A-KEY-1!', otp: { account: 'frank', digits: 6, period: 30, algorithm: 'SHA1', tokenType: 'TOTP' }, order: { position: 9 } },
];
const twofasFile = (extra) => ({ services: [], groups: [], updatedAt: 1700000000000, schemaVersion: 4, appVersionCode: 5000000, appVersionName: '5.0.0', appOrigin: 'android', ...extra });
write('2fas-plain.2fas', JSON.stringify(twofasFile({ services: twofasServices }), null, 2) + '\n');
{
  const salt = fixed(256, '2fas salt');
  const key = crypto.pbkdf2Sync(PASSWORD, salt, 10000, 32, 'sha256');
  const enc = (plain, seed) => {
    const iv = fixed(12, seed);
    const { ct, tag } = gcm(key, iv, Buffer.from(plain));
    return `${Buffer.concat([ct, tag]).toString('base64')}:${salt.toString('base64')}:${iv.toString('base64')}`;
  };
  write('2fas-encrypted.2fas', JSON.stringify(twofasFile({ servicesEncrypted: enc(JSON.stringify(twofasServices), '2fas iv'), reference: enc('reference', '2fas ref iv') }), null, 2) + '\n');
}

// --- andOTP: a JSON array; encrypted: iterations(4, BE) ‖ salt(12) ‖ iv(12) ‖ ct ‖ tag(16),
// PBKDF2-HMAC-SHA1.
const andotp = [
  ...accounts.map((a) => ({
    secret: a.secret, issuer: a.issuer, label: a.account, digits: a.digits, type: a.kind.toUpperCase(), algorithm: a.algorithm,
    thumbnail: 'Default', last_used: 0, used_frequency: 0, tags: [], ...(a.kind === 'hotp' ? { counter: a.counter } : { period: a.period }),
  })),
  { secret: 'JBSWY3DPEHPK3PXP', issuer: 'Odd', label: 'grace', digits: 6, type: 'TOTP', algorithm: 'MD5', period: 30 },
];
write('andotp-plain.json', JSON.stringify(andotp) + '\n');
{
  const iterations = 150000;
  const salt = fixed(12, 'andotp salt');
  const iv = fixed(12, 'andotp iv');
  const key = crypto.pbkdf2Sync(PASSWORD, salt, iterations, 32, 'sha1');
  const { ct, tag } = gcm(key, iv, Buffer.from(JSON.stringify(andotp)));
  const head = Buffer.alloc(4); head.writeUInt32BE(iterations);
  const file = Buffer.concat([head, salt, iv, ct, tag]);
  write('andotp-encrypted.json.aes', file);
  write('andotp-encrypted-truncated.json.aes', file.subarray(0, file.length - 20));
}

// --- Bitwarden JSON export: login.totp as an otpauth link, a bare key and a steam:// key.
const bw = {
  encrypted: false,
  folders: [],
  items: [
    { id: '1', type: 1, name: 'GitHub', login: { username: 'alice@example.com', password: 'pw', uris: [{ match: null, uri: 'https://github.com/login' }], totp: `otpauth://totp/GitHub:alice%40example.com?secret=${accounts[0].secret}&issuer=GitHub` } },
    { id: '2', type: 1, name: 'Example Corp', login: { username: 'bob', uris: [{ uri: 'https://example.com' }], totp: `otpauth://totp/Example%20Corp:bob?secret=${accounts[1].secret}&algorithm=SHA256&digits=8&period=60` } },
    { id: '3', type: 1, name: 'VPN', login: { username: 'carol', uris: [], totp: `otpauth://hotp/VPN:carol?secret=${accounts[2].secret}&counter=7` } },
    { id: '4', type: 1, name: 'Steam', login: { username: 'dave', uris: [{ uri: 'https://store.steampowered.com' }], totp: `steam://${accounts[3].secret}` } },
    { id: '5', type: 1, name: 'No MFA', login: { username: 'zed', uris: [], totp: null } },
    { id: '6', type: 2, name: 'A note', notes: 'secure note', secureNote: { type: 0 } },
    { id: '7', type: 1, name: 'Typo', login: { username: 'heidi', totp: 'JBSWY3DP1HPK3PXP' } },
  ],
};
write('bitwarden.json', JSON.stringify(bw, null, 2) + '\n');
write('bitwarden-encrypted.json', JSON.stringify({ encrypted: true, passwordProtected: true, salt: 'c2FsdA==', kdfType: 0, kdfIterations: 600000, encKeyValidation_DO_NOT_EDIT: '2.x|y|z', data: '2.aaa|bbb|ccc' }, null, 2) + '\n');

// --- Google Authenticator export (protobuf MigrationPayload), in two batches.
const varint = (n) => { const out = []; n = BigInt(n); do { let b = Number(n & 0x7fn); n >>= 7n; if (n) b |= 0x80; out.push(b); } while (n); return Buffer.from(out); };
const field = (num, wire, body) => Buffer.concat([varint((num << 3) | wire), ...(wire === 2 ? [varint(body.length), body] : [varint(body)])]);
const otpParams = (a) => Buffer.concat([
  field(1, 2, b32decode(a.secret)), field(2, 2, Buffer.from(`${a.issuer}:${a.account}`)), field(3, 2, Buffer.from(a.issuer)),
  field(4, 0, { SHA1: 1, SHA256: 2, SHA512: 3 }[a.algorithm]), field(5, 0, a.digits === 8 ? 2 : 1), field(6, 0, a.kind === 'hotp' ? 1 : 2),
  ...(a.kind === 'hotp' ? [field(7, 0, a.counter)] : []),
]);
const payload = (list, index, size) => Buffer.concat([...list.map((a) => field(1, 2, otpParams(a))), field(2, 0, 1), field(3, 0, size), field(4, 0, index), field(5, 0, 123456789)]);
const migration = (buf) => `otpauth-migration://offline?data=${encodeURIComponent(buf.toString('base64'))}`;
// Google has no Steam entries; accounts 0-2 in two batches.
const batch0 = migration(payload([accounts[0], accounts[1]], 0, 2));
const batch1 = migration(payload([accounts[2]], 1, 2));
write('google-migration.txt', `${batch0}\n${batch1}\n`);
write('google-single-batch.txt', `${migration(payload(accounts.slice(0, 3), 0, 1))}\n`);

// --- A plain list of links, with a comment, a web address and a bad one.
write('uris.txt', [
  '# exported by hand',
  `otpauth://totp/GitHub:alice%40example.com?secret=${accounts[0].secret}&issuer=GitHub`,
  `otpauth://totp/Example%20Corp:bob?secret=${accounts[1].secret}&algorithm=SHA256&digits=8&period=60`,
  `otpauth://hotp/VPN:carol?secret=${accounts[2].secret}&counter=7`,
  `otpauth://totp/Steam:dave?secret=${accounts[3].secret}&encoder=steam`,
  'https://example.com/not-a-key',
  'otpauth://totp/Bad?secret=ABC1',
  '',
].join('\n'));
