import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Migrations are read from disk on start; make sure a traced deployment carries them.
  outputFileTracingIncludes: { "/*": ["./db/migrations/**/*"] },
};

export default nextConfig;
