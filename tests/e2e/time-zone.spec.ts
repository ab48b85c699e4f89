import { expect, test } from "@playwright/test";
import { readCatalogue } from "../helpers/catalogue";
import { signInWithForm } from "./helpers";

const profile = readCatalogue("en").profile as Record<string, string>;

/** How <LocalTime> writes a moment in English in a zone (the spaces Intl puts before AM/PM vary by ICU). */
function inZone(iso: string, timeZone: string): string {
  return squash(new Intl.DateTimeFormat("en", { dateStyle: "short", timeStyle: "medium", timeZone }).format(new Date(iso)));
}
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

test("times show in the zone saved on the profile, not the browser's, the same in the server's HTML as on screen; an unknown zone is refused on its field", async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: "America/Los_Angeles" });
  const page = await context.newPage();
  await signInWithForm(page, "network");
  await page.getByTestId("time-zone-link").click();
  await expect(page).toHaveURL(/\/profile$/);
  const field = page.getByLabel(profile.timeZoneLabel);
  const before = await field.inputValue();
  const save = async (zone: string) => {
    await field.fill(zone);
    await page.getByRole("button", { name: profile.save }).click();
  };
  try {
    await save("Mars/Olympus_Mons");
    // The field's own alert (Next.js keeps a route announcer with the alert role too).
    await expect(page.locator("#profile-tz ~ [role=alert]")).toHaveText(profile.timeZoneInvalid);
    await expect(page.getByTestId("time-zone-link")).toHaveText(before);

    await save("asia/tokyo");
    await expect(page.getByRole("status")).toHaveText(profile.saved.replace("{zone}", "Asia/Tokyo"));
    await expect(page.getByTestId("time-zone-link")).toHaveText("Asia/Tokyo");

    await page.reload();
    const time = page.getByTestId("profile-now").locator("time");
    const iso = (await time.getAttribute("datetime"))!;
    await expect(time).toHaveText(inZone(iso, "Asia/Tokyo"));
    expect(inZone(iso, "Asia/Tokyo")).not.toBe(inZone(iso, "America/Los_Angeles"));

    // The server wrote the same text the browser shows: nothing to swap on hydration.
    const html = await (await page.request.get("/profile")).text();
    const served = /<time datetime="([^"]+)"[^>]*>([^<]+)<\/time>/i.exec(html);
    expect(served, "a <time> in the server's HTML").not.toBeNull();
    expect(squash(served![2])).toBe(inZone(served![1], "Asia/Tokyo"));
  } finally {
    await save(before);
    await expect(page.getByTestId("time-zone-link")).toHaveText(before);
    await context.close();
  }
});
