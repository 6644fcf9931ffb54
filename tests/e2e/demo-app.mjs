// @ts-check
/**
 * Driving the demo app (Northwind Cloud, served by `latchkey serve`) as a person does.
 */
import { referenceTotp } from './harness.mjs';

/** @typedef {import('playwright-core').Page} Page */

export const PASSWORD = 'correct horse battery staple';

/** Signs up; the app signs the new account in. @param {Page} page @param {string} demo @param {string} email */
export async function signUp(page, demo, email) {
  await page.goto(`${demo}/demo/signup`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: `Welcome, ${email}` }).waitFor();
}

/**
 * Opens the two-factor set-up page and reads the key it shows.
 * @param {Page} page @param {string} demo
 */
export async function openTwoFactorSetup(page, demo) {
  await page.goto(`${demo}/demo/account`);
  await page.getByRole('link', { name: /turn on two-factor/i }).click();
  const secret = ((await page.locator('#secret').textContent()) ?? '').replace(/\s/g, '');
  const uri = ((await page.locator('#otpauth-uri').textContent()) ?? '').trim();
  return { secret, uri };
}

/**
 * Confirms the set-up with a code (by default the reference code), and checks 2FA is on.
 * @param {Page} page @param {string} code
 */
export async function confirmTwoFactor(page, code) {
  await page.locator('#code').fill(code);
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.locator('#twofa-status', { hasText: 'Two-factor authentication: On' }).waitFor();
}

/**
 * Sign up and turn on two-factor with the reference TOTP.
 * @param {Page} page
 * @param {string} demo
 * @param {string} email
 */
export async function userWithTwoFactor(page, demo, email) {
  await signUp(page, demo, email);
  const { secret, uri } = await openTwoFactorSetup(page, demo);
  await confirmTwoFactor(page, referenceTotp(secret));
  return { secret, uri };
}

/** @param {Page} page */
export async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

/**
 * Signs in with the password; ends on the two-step verification page.
 * @param {Page} page
 * @param {string} demo
 * @param {string} email
 */
export async function signIn(page, demo, email) {
  await page.goto(`${demo}/demo/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
}
