import type { OrgKind } from "@/lib/access/permissions";
import type { Permission } from "@/lib/access/permissions";

export type NavItem = { href: string; label: string; permission: Permission };

/** Each party's navigation; an item shows only when the permission table grants its permission. */
export const NAV_ITEMS: Record<OrgKind, NavItem[]> = {
  affiliate: [
    { href: "/affiliate", label: "Overview", permission: "offers:read" },
    { href: "/affiliate/offers", label: "Offers", permission: "offers:read" },
    { href: "/affiliate/campaigns", label: "Campaigns", permission: "campaigns:read" },
    { href: "/affiliate/postbacks", label: "Postbacks", permission: "postbacks:read" },
    { href: "/affiliate/demo-receiver", label: "Demo receiver", permission: "postbacks:read" },
    { href: "/affiliate/logs", label: "Logs", permission: "logs:read" },
    { href: "/affiliate/stats", label: "Stats", permission: "stats:read" },
    { href: "/affiliate/api-keys", label: "API keys", permission: "api_keys:write" },
  ],
  network: [
    { href: "/network", label: "Overview", permission: "offers:read" },
    { href: "/network/offers", label: "Offers", permission: "offers:read" },
    { href: "/network/merchants", label: "Merchants", permission: "offers:read" },
    { href: "/network/affiliates", label: "Affiliates", permission: "memberships:read" },
    { href: "/network/endpoints", label: "Endpoints", permission: "endpoints:read" },
    { href: "/network/conversions", label: "Conversions", permission: "conversions:read" },
    { href: "/network/postbacks", label: "Postbacks", permission: "postbacks:read" },
    { href: "/network/demo-receiver", label: "Demo receiver", permission: "postbacks:read" },
    { href: "/network/logs", label: "Logs", permission: "logs:read" },
    { href: "/network/stats", label: "Stats", permission: "stats:read" },
    { href: "/network/api-keys", label: "API keys", permission: "api_keys:write" },
  ],
  merchant: [
    { href: "/merchant", label: "Overview", permission: "endpoints:read" },
    { href: "/merchant/conversions", label: "Conversions", permission: "conversions:read" },
    { href: "/merchant/logs", label: "Logs", permission: "logs:read" },
    { href: "/merchant/api-keys", label: "API keys", permission: "api_keys:write" },
  ],
  platform: [
    { href: "/admin", label: "Overview", permission: "health:read" },
    { href: "/admin/health", label: "Health", permission: "health:read" },
    { href: "/admin/organizations", label: "Organizations", permission: "organizations:read" },
    { href: "/admin/users", label: "Users", permission: "users:read" },
  ],
};
