import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { incomingPostbackLog } from "@/db/schema";
import { actionError } from "@/lib/access/action-result";
import { apiKeyInputSchema, revokeApiKey } from "@/lib/access/api-keys";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { postbackInputSchema } from "@/lib/outgoing/postback-config";
import { parseInput } from "@/lib/platform/input";
import { readCatalogue } from "../helpers/catalogue";
import { apiWorlds } from "../helpers/api";
import { testDriver } from "../helpers/test-db";
import { postbackRequest } from "../helpers/world";

/**
 * Issue 20 items 1 and 4: a refusal reads in its reader's language (a form in the user's, the API
 * and the postback endpoint in Accept-Language's, English without it), while its code and field,
 * what machines read, are the same in every language.
 */
let worlds: Awaited<ReturnType<typeof apiWorlds>>;
beforeAll(async () => {
  worlds = await apiWorlds();
});
afterAll(() => worlds.handle.close());

/** What the action wrapper answers for a form that `fn` refused, in `locale`. */
async function refusal(locale: "en" | "ru" | "ja", fn: () => unknown) {
  try {
    await fn();
  } catch (error) {
    return actionError(error, locale);
  }
  throw new Error("the input was accepted");
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

describe(`error messages in the reader's language on ${testDriver}`, () => {
  it("answers a form in Russian with the same code and fields, and in English as before", async () => {
    const empty = () => parseInput(apiKeyInputSchema, form({ name: "  ", access: "write" }));
    expect(await refusal("ru", empty)).toEqual({
      code: "invalid_input",
      field: "name",
      message: "Назовите ключ, например по системе, которая будет им пользоваться.",
      fields: { name: "Назовите ключ, например по системе, которая будет им пользоваться." },
    });
    expect(await refusal("en", empty)).toMatchObject({ code: "invalid_input", field: "name", message: "Name the key, e.g. the system that will use it." });

    // zod's own limits, with the limit as the catalogue's argument and Russian plural forms.
    const long = await refusal("ru", () => parseInput(apiKeyInputSchema, form({ name: "k".repeat(101), access: "sometimes" })));
    expect(long.fields).toEqual({ name: "Не больше 100 символов.", access: "Выберите одно из: read, write." });
    expect((await refusal("en", () => parseInput(apiKeyInputSchema, form({ name: "k".repeat(101) })))).fields).toEqual({ name: "At most 100 characters." });
  });

  it("translates a message that carries values, and every invalid field of a form at once", async () => {
    const input = { name: "", scope: "all", statuses: "", urlTemplate: "https://t.example/p?c={click_id}", headers: "X-Click {click_id}" };
    const ru = await refusal("ru", () => parseInput(postbackInputSchema, input));
    expect(ru.fields).toMatchObject({
      name: "Дайте постбэку название.",
      statuses: "Выберите хотя бы один статус.",
      headers: "«X-Click {click_id}» — не заголовок: пишите по одному «Name: value» на строку.",
    });
    const en = await refusal("en", () => parseInput(postbackInputSchema, input));
    expect(en.fields).toMatchObject({ name: "Give the postback a name.", headers: '"X-Click {click_id}" is not a header: write one "Name: value" per line.' });
    expect(Object.keys(ru.fields ?? {}).sort()).toEqual(Object.keys(en.fields ?? {}).sort());
  });

  it("says a template's problem in the reader's words: its brace and position, an unknown macro, a header's, a missing scheme", async () => {
    const postback = (fields: Record<string, string>) =>
      form({ name: "Tracker", scope: "all", statuses: "approved", method: "POST", bodyFormat: "form", urlTemplate: "https://t.example/pb?cid={click_id}", ...fields });
    const input = postback({ urlTemplate: "https://t.example/pb?cid={click_id&s=1", bodyTemplate: "p={paypout}", headers: "X-Click: {click_id" });
    const ru = await refusal("ru", () => parseInput(postbackInputSchema, input));
    expect(ru.fields).toMatchObject({
      urlTemplate: "Незакрытая { в символе 26: закончите макрос скобкой }.",
      bodyTemplate: "Неизвестный макрос {paypout} — возможно, {payout}?",
      headers: "X-Click: Незакрытая { в символе 1: закончите макрос скобкой }.",
    });
    const en = await refusal("en", () => parseInput(postbackInputSchema, input));
    expect(en.fields).toMatchObject({
      urlTemplate: "An unclosed { at character 26: end the macro with }.",
      bodyTemplate: "Unknown macro {paypout} — did you mean {payout}?",
      headers: "X-Click: An unclosed { at character 1: end the macro with }.",
    });
    const ja = await refusal("ja", () => parseInput(postbackInputSchema, postback({ urlTemplate: "t.example/pb" })));
    expect(ja.fields).toMatchObject({ urlTemplate: "スキームを付けてください：https://t.example/pb" });
    const several = postback({ urlTemplate: "https://t.example/pb?a={clik_id}&b={paypout}" });
    expect((await refusal("ru", () => parseInput(postbackInputSchema, several))).fields).toMatchObject({ urlTemplate: "Неизвестные макросы: {clik_id}, {paypout}" });
    expect((await refusal("en", () => parseInput(postbackInputSchema, several))).fields).toMatchObject({ urlTemplate: "Unknown macros: {clik_id}, {paypout}" });
  });

  it("answers a core function's refusal in the user's language, the code unchanged", async () => {
    const foreign = () => revokeApiKey(worlds.handle.db, worlds.world.networkId, "key_not_mine");
    expect(await refusal("ja", foreign)).toEqual({ code: "not_found", message: "この ID の有効な API キーはあなたのものにありません。" });
    expect(await refusal("en", foreign)).toEqual({ code: "not_found", message: "No active API key of yours has this id." });
  });

  it("answers the API in Accept-Language's language, with the same code and field, and in English without it", async () => {
    const path = "/offers/off_not_mine";
    const ja = await worlds.network.call("GET", path, { headers: { "accept-language": "ja-JP,ja;q=0.9,en;q=0.5" } });
    const plain = await worlds.network.call("GET", path);
    expect(ja).toMatchObject({ status: 404, body: { ok: false, error: { code: "not_found", message: "この ID の案件はあなたのネットワークにありません。" } } });
    expect(plain).toMatchObject({ status: 404, body: { ok: false, error: { code: "not_found", message: "No offer of your network has this id." } } });

    const invalid = { name: "Offer", unknownField: 1 };
    const jaInvalid = await worlds.network.call("POST", "/offers", { body: invalid, headers: { "accept-language": "ja" } });
    const enInvalid = await worlds.network.call("POST", "/offers", { body: invalid });
    expect(jaInvalid.status).toBe(422);
    expect(jaInvalid.body.error.code).toBe(enInvalid.body.error.code);
    expect(jaInvalid.body.error.field).toBe(enInvalid.body.error.field);
    expect(jaInvalid.body.error.message).not.toBe(enInvalid.body.error.message);
    expect(jaInvalid.body.error.message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);

    // A language Postline does not have reads English; Korean reads Korean, before the key is even checked.
    expect((await worlds.network.call("GET", path, { headers: { "accept-language": "fr" } })).body.error.message).toBe("No offer of your network has this id.");
    expect(await worlds.network.call("GET", path, { key: null, headers: { "accept-language": "ko" } })).toMatchObject({
      status: 401,
      body: { error: { code: "missing_api_key", message: "API 키를 Authorization: Bearer <key> 형식으로 보내세요." } },
    });
  });

  it("answers a merchant's server in its Accept-Language, while the log keeps English and the code", async () => {
    const { world } = worlds;
    const request = postbackRequest(world.endpointId, { token: world.secret, click_id: "clk_doesnotexist", status: "sale" }, { headers: { "accept-language": "ru" } });
    const response = await handleIncomingPostback(worlds.handle.db, request, world.endpointId);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      ok: false,
      error: { code: "unknown_click", field: "click_id", message: "Клика с таким ID по офферам этого рекламодателя не было." },
    });
    const [log] = await worlds.handle.db.select().from(incomingPostbackLog).where(eq(incomingPostbackLog.endpointId, world.endpointId));
    expect(log).toMatchObject({ errorCode: "unknown_click", message: "No click with this id was made for this merchant's offers." });
  });

  it("names only messages the catalogue has: every key the code throws or issues is in English's errors area", () => {
    const english = readCatalogue("en");
    const has = (key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], english) !== undefined;
    const root = path.resolve(import.meta.dirname, "../..");
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? files(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
      });
    const named = ["lib", "app", "components"].flatMap((dir) => files(path.join(root, dir))).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/"((?:errors|validation)\.[\w.]+)"/g)].map((m) => m[1]!));
    expect(named.length).toBeGreaterThan(100);
    expect(named.filter((key) => !has(key))).toEqual([]);
  });
});
