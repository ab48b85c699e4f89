import type { NextConfig } from "next";

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

/** Headers for every page and API answer. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // Next compiles a header value that holds a colon (`data:`) on every request, 3% of a
      // click's CPU. The click redirect and the postback endpoint's JSON are no documents for
      // a policy to govern, so those two machine paths go without it; the click path's own
      // error pages set a strict one themselves (lib/clicks.ts).
      { source: "/:path((?!c/|api/postback/).*)", headers: [contentSecurityPolicy] },
    ];
  },
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Migrations are read from disk on start; make sure a traced deployment carries them.
  outputFileTracingIncludes: { "/*": ["./db/migrations/**/*"] },
};

export default nextConfig;
