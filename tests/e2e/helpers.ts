import { expect, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/demo/seed";

export type DemoRole = (typeof DEMO_ACCOUNTS)[number]["role"];

export function demoAccount(role: DemoRole) {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

/** Signs in through the form, as a person would. */
export async function signInWithForm(page: Page, role: DemoRole, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(demoAccount(role).email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // With the right password, wait for the session before the caller navigates on.
  if (password === DEMO_PASSWORD) await expect(page).not.toHaveURL(/\/login/);
}

export async function expectSignedInAs(page: Page, role: DemoRole) {
  await expect(page.getByTestId("signed-in-as")).toContainText(demoAccount(role).email);
}
