import type { NextConfig } from "next";

// The framework's ceiling: a minimal Next.js app (the product's Next version, production mode)
// whose route handlers make the product's writes and nothing else.
const config: NextConfig = { poweredByHeader: false };
export default config;
