import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { ALL_BUT_MACHINE_PATHS, SECURITY_HEADERS } from "@/lib/platform/security-headers";

/**
 * The content security policy of every document. Scripts and styles are 'self' plus inline (Next's
 * hydration scripts); a nonce-based CSP would need a proxy on every request, which the public hot
 * paths must not pay for.
 */
const contentSecurityPolicy = {
  key: "Content-Security-Policy",
  value: [
    "default-src 'self'",
    // Development builds evaluate modules with eval; production builds do not.
    `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === "production" ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; "),
};

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm test` type-checks the whole tree (tsc) before its end-to-end build, which says so with
  // this variable; every other build (a deploy, `npm run build`) checks the types itself.
  typescript: { ignoreBuildErrors: process.env.POSTLINE_TYPES_CHECKED === "1" },
  async headers() {
    // One rule, so that each request's path is matched once. The click redirect and the postback
    // endpoint's JSON are no documents for a policy to govern, and set their own headers
    // (lib/platform/security-headers.ts); Next compiled the policy's value, which holds a colon (`data:`),
    // on every request. The click path's error pages set a strict policy
    // themselves (lib/tracking/clicks.ts).
    return [{ source: ALL_BUT_MACHINE_PATHS, headers: [...SECURITY_HEADERS, contentSecurityPolicy] }];
  },
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Migrations are read from disk on start; make sure a traced deployment carries them.
  outputFileTracingIncludes: { "/*": ["./db/migrations/**/*"] },
};

// next-intl finds the request's language and catalogue in i18n/request.ts; no locale in the URL, no proxy.
export default createNextIntlPlugin("./i18n/request.ts")(nextConfig);
