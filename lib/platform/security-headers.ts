/**
 * The security headers of every answer. Documents and the app's own APIs get them from
 * next.config.ts, with the content security policy. The two machine paths, the click redirect
 * (`/c/…`) and the merchant's postback endpoint (`/api/postback/…`), are left out of that rule and
 * set the headers that apply to a redirect or a JSON answer themselves: Next tests every request's
 * path against every header rule, and one rule instead of two spares the hottest paths a pattern
 * match each.
 */
export const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
] as const;

/**
 * Every path but the two machine routes, as a path-to-regexp source for next.config.ts. Only the
 * routes' own shape is left out: a stray path under them (`/c/a/b`) is Next's not-found page, a
 * document, and keeps every header.
 */
export const ALL_BUT_MACHINE_PATHS = "/:path((?!c/[^/]+$|api/postback/[^/]+$).*)";

const MACHINE_PATH_HEADERS = SECURITY_HEADERS.filter((h) => h.key === "X-Content-Type-Options" || h.key === "Strict-Transport-Security");

/** Adds the headers a machine path's answer carries (a redirect or JSON: no frames, no policy). */
export function withMachinePathHeaders(response: Response): Response {
  for (const { key, value } of MACHINE_PATH_HEADERS) response.headers.set(key, value);
  return response;
}
