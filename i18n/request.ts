import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { getSessionUser } from "@/lib/access/auth";
import { readingTimeZone } from "@/lib/access/users";
import { LOCALE_COOKIE, resolveLocale } from "@/lib/platform/locale";
import { loadMessages } from "./messages";

/*
 * No locale in the URL and no proxy: pages read the language here, once per request. Route handlers
 * (the click redirect, the postback endpoint, the API) never call it, so they pay nothing for it.
 * The session user is cached per request, so a signed-in page loads the user once for both.
 */
export default getRequestConfig(async () => {
  const [user, cookieStore, headerList] = await Promise.all([getSessionUser(), cookies(), headers()]);
  const locale = resolveLocale({
    saved: user?.locale,
    cookie: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get("accept-language"),
  });
  // Signed out, no page shows a time; UTC keeps the server and the browser on the same text.
  return { locale, timeZone: user ? readingTimeZone(user) : "UTC", messages: await loadMessages(locale) };
});

