import { expect, type Page, test } from "@playwright/test";
import { NAV_ITEMS } from "@/components/nav-items";
import { can, type OrgKind } from "@/lib/access/permissions";
import { DEMO } from "@/lib/demo/seed";
import { readCatalogue } from "../helpers/catalogue";
import { collectTextBlocks, describeFindings, type Finding, findUntranslated, harvestDataStrings, type TextBlock } from "../helpers/untranslated";
import { type DemoRole, signInWithForm } from "./helpers";

/*
 * Issue 20 item 5: each party, in each language but English, walks its main pages (its navigation)
 * and one detail page of each kind, and the walk fails on any untranslated English on them: a
 * message of the English catalogue the language says otherwise, or a run of three or more English
 * words that is not data. One sign-in per party; its browser is kept for all four languages.
 */

// A failure lists every string and where it is; a trace of dozens of pages would only slow the suite.
test.use({ trace: "off" });

const LANGUAGES = ["ru", "ko", "zh", "ja"] as const;
type Lang = (typeof LANGUAGES)[number];

const ENGLISH = readCatalogue("en");
const CATALOGUES = Object.fromEntries(LANGUAGES.map((lang) => [lang, readCatalogue(lang)])) as Record<Lang, ReturnType<typeof readCatalogue>>;
const DATA = harvestDataStrings();

/*
 * PENDING: pages whose strings are still being moved into the catalogues (route → the area and
 * files that still hold English). Their findings are reported as annotations, not failures; an
 * entry whose page reads clean in all four languages fails the walk, so the list only shrinks.
 * The lead empties it.
 */
const PENDING: Record<string, string> = {};

const PARTIES: { role: DemoRole; kind: OrgKind }[] = [
  { role: "affiliate", kind: "affiliate" },
  { role: "network", kind: "network" },
  { role: "merchant", kind: "merchant" },
  { role: "admin", kind: "platform" },
];

type Stop = { route: string; path: string };

/** The party's navigation, as its demo owner sees it, then one page of each detail kind it has. */
function stopsOf(kind: OrgKind, conversionId: string): Stop[] {
  const main = NAV_ITEMS[kind].filter((item) => can({ orgKind: kind, role: "owner" }, item.permission)).map(({ href }) => ({ route: href, path: href }));
  const details: Record<OrgKind, Stop[]> = {
    affiliate: [
      { route: "/affiliate/campaigns/[id]", path: `/affiliate/campaigns/${DEMO.campaignId}` },
      { route: "/affiliate/postbacks/[id]", path: `/affiliate/postbacks/${DEMO.postbackId}` },
      { route: "/affiliate/postbacks/new", path: "/affiliate/postbacks/new" },
      { route: "/affiliate/conversions/[id]", path: `/affiliate/conversions/${conversionId}` },
    ],
    network: [
      { route: "/network/offers/[id]", path: `/network/offers/${DEMO.offerId}` },
      { route: "/network/endpoints/[id]", path: `/network/endpoints/${DEMO.endpointId}` },
      { route: "/network/postbacks/new", path: "/network/postbacks/new" },
      { route: "/network/conversions/[id]", path: `/network/conversions/${conversionId}` },
    ],
    merchant: [{ route: "/merchant/conversions/[id]", path: `/merchant/conversions/${conversionId}` }],
    platform: [],
  };
  // The header's search, answered with no match: its empty state is a page of its own.
  const search: Stop[] = can({ orgKind: kind, role: "owner" }, "conversions:read") ? [{ route: "/find", path: "/find?q=no-such-conversion" }] : [];
  return [...main, ...details[kind], ...search, { route: "/profile", path: "/profile" }];
}

/** A conversion every party can open: a click on the demo link, then the merchant's sale for it. */
let conversion: Promise<string> | undefined;
function demoConversion(): Promise<string> {
  const BASE_URL = test.info().project.use.baseURL;
  conversion ??= (async () => {
    const click = await fetch(`${BASE_URL}/c/${DEMO.trackingLinkCode}`, { redirect: "manual" });
    const clickId = new URL(click.headers.get("location") ?? "").searchParams.get("click_id");
    const sale = await fetch(`${BASE_URL}/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=I18N-WALK-${Date.now()}&status=sale`);
    const answer = (await sale.json()) as { conversion_id?: string };
    if (!answer.conversion_id) throw new Error(`no conversion for the walk: ${JSON.stringify(answer)}`);
    return answer.conversion_id;
  })();
  return conversion;
}

/** Tabs of one browser that read pages side by side: the walk's time is page loads. */
const TABS = 3;

async function switchTo(page: Page, lang: Lang | "en") {
  await page.getByTestId("locale-switch").selectOption(lang);
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
}

/** What a page shows in a language that is still English, with a stop's HTTP failure as a finding too. */
async function readStop(page: Page, stop: Stop, lang: Lang): Promise<Finding[]> {
  const response = await page.goto(stop.path);
  const status = response?.status() ?? 0;
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  const blocks: TextBlock[] = await page.evaluate(collectTextBlocks);
  const findings = findUntranslated(blocks, { english: ENGLISH, translated: CATALOGUES[lang], data: DATA });
  return status >= 400 ? [{ text: `HTTP ${status}`, where: "response", why: "sentence", detail: "the page did not load" }, ...findings] : findings;
}

/**
 * Fails (softly, so every language is reported) with every finding of every page; a pending page's
 * findings are annotations instead, and its route is noted in `stillEnglish`.
 */
function judge(lang: Lang, results: { stop: Stop; findings: Finding[] }[], stillEnglish: Set<string>) {
  const failing: string[] = [];
  for (const { stop, findings } of results) {
    const pending = PENDING[stop.route];
    if (pending && findings.length > 0) {
      stillEnglish.add(stop.route);
      test.info().annotations.push({ type: "pending", description: `${stop.path} in ${lang} (${pending}):\n${describeFindings(findings)}` });
    } else if (findings.length > 0) failing.push(`${stop.path} in ${lang}:\n${describeFindings(findings)}`);
  }
  expect.soft(failing.join("\n"), `untranslated English in ${lang}`).toBe("");
}

/** A pending route that read clean in every language is done: the list must shrink with it. */
function expectNoStalePending(stops: Stop[], stillEnglish: Set<string>) {
  const done = [...new Set(stops.map(({ route }) => route))].filter((route) => PENDING[route] && !stillEnglish.has(route));
  expect.soft(done, "pending pages that now read clean in every language: remove them from PENDING").toEqual([]);
}

/** Each stop read by the next free tab, the findings kept in the walk's order. */
async function walk(pages: Page[], stops: Stop[], lang: Lang) {
  const results: { stop: Stop; findings: Finding[] }[] = new Array(stops.length);
  let next = 0;
  await Promise.all(
    pages.map(async (page) => {
      for (let i = next++; i < stops.length; i = next++) results[i] = { stop: stops[i], findings: await readStop(page, stops[i], lang) };
    }),
  );
  return results;
}

test("the detector flags an English sentence and an English label, and leaves code, hidden text and data alone", async ({ page }) => {
  await page.setContent(`
    <html lang="ru"><body><main>
      <h1>Офферы</h1>
      <p>This offer pays on every <b>approved</b> sale.</p>
      <nav><a href="#">Sign out</a></nav>
      <p>Постбэк уходит в <code>GET https://tracker.example.com/pb?cid={click_id} and some more words</code> сразу.</p>
      <p class="font-mono">off_demo_summer sent three English words</p>
      <p hidden>A hidden English sentence here</p>
      <p>Оффер Acme Summer Sale от Northwind Network</p>
      <input placeholder="Type a name here">
    </main></body></html>`);
  const findings = findUntranslated(await page.evaluate(collectTextBlocks), { english: ENGLISH, translated: CATALOGUES.ru, data: DATA });
  expect(findings.map(({ text, why }) => ({ text, why }))).toEqual([
    { text: "This offer pays on every approved sale.", why: "sentence" },
    { text: "Sign out", why: "catalogue" },
    { text: "Type a name here", why: "sentence" },
  ]);
});

const SIGN_IN: Stop = { route: "/login", path: "/login" };

test("the sign-in page reads in ru, ko, zh and ja with no English", async ({ browser }) => {
  const stillEnglish = new Set<string>();
  for (const lang of LANGUAGES) {
    const context = await browser.newContext({ locale: lang });
    const page = await context.newPage();
    judge(lang, [{ stop: SIGN_IN, findings: await readStop(page, SIGN_IN, lang) }], stillEnglish);
    await context.close();
  }
  expectNoStalePending([SIGN_IN], stillEnglish);
});

// One test per party: one sign-in, its languages in turn (a failed test costs a new worker).
for (const { role, kind } of PARTIES) {
  test(`${role} walks its pages in ru, ko, zh and ja with no English`, async ({ browser }) => {
    test.setTimeout(180_000);
    const stops = stopsOf(kind, kind === "platform" ? "" : await demoConversion());
    const context = await browser.newContext();
    const pages = [await context.newPage()];
    try {
      await signInWithForm(pages[0], role);
      pages.push(...(await Promise.all(Array.from({ length: TABS - 1 }, () => context.newPage()))));
      const stillEnglish = new Set<string>();
      for (const lang of LANGUAGES) {
        await test.step(lang, async () => {
          await switchTo(pages[0], lang);
          judge(lang, await walk(pages, stops, lang), stillEnglish);
        });
      }
      expectNoStalePending(stops, stillEnglish);
    } finally {
      // The demo users read English again: the other specs look for English text.
      await switchTo(pages[0], "en");
      await context.close();
    }
  });
}
