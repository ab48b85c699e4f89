import { expect, test } from "@playwright/test";
import { signInWithForm } from "./helpers";

test("the admin sees dispatch health, adds an organization and a user, resets a password and disables the user", async ({ page, browser }) => {
  await signInWithForm(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Health" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dispatch health");
  await expect(page.getByText("Pending backlog")).toBeVisible();
  await expect(page.getByText("Success rate")).toBeVisible();
  await page.screenshot({ path: "tests/e2e/screenshots/admin-health.png", fullPage: true });

  const stamp = Date.now();
  await page.goto("/admin/organizations");
  await page.getByLabel("Name").fill(`Orbit Ads ${stamp}`);
  await page.getByLabel("Kind").selectOption("affiliate");
  await page.getByRole("button", { name: "Add organization" }).click();
  await expect(page.getByRole("cell", { name: `Orbit Ads ${stamp}` })).toBeVisible();

  await page.goto("/admin/users");
  const email = `pat.${stamp}@orbit.example`;
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("Enter the person's name.")).toBeVisible();
  await page.getByLabel("Organization").selectOption({ label: `Orbit Ads ${stamp} (Affiliate)` });
  await page.getByLabel("Name").fill("Pat Orbit");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Initial password").fill("orbit-password-1");
  await page.getByRole("button", { name: "Add user" }).click();
  const row = page.locator(`tr[data-user-email="${email}"]`);
  await expect(row).toBeVisible();

  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: "Reset password" }).click();
  const password = await row.getByTestId("new-password").textContent();
  expect(password?.length).toBeGreaterThanOrEqual(16);

  const pat = await (await browser.newContext()).newPage();
  await pat.goto("/login");
  await pat.getByLabel("Email").fill(email);
  await pat.getByLabel("Password").fill(password!);
  await pat.getByRole("button", { name: "Sign in" }).click();
  await expect(pat).toHaveURL(/\/affiliate$/);

  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("disabled");
  // The open session stops working at its next request.
  await pat.goto("/affiliate");
  await expect(pat).toHaveURL(/\/login$/);
});
