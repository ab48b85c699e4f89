import type { OrgKind } from "@/lib/access/permissions";
import type { Permission } from "@/lib/access/permissions";
import type { Messages } from "@/i18n/messages";

/** A label is a key of the `nav` catalogue, read in the reader's language by the shell. */
export type NavItem = { href: string; label: `nav.${keyof Messages["nav"]}`; permission: Permission };

/** Each party's navigation; an item shows only when the permission table grants its permission. */
export const NAV_ITEMS: Record<OrgKind, NavItem[]> = {
  affiliate: [
    { href: "/affiliate", label: "nav.overview", permission: "offers:read" },
    { href: "/affiliate/offers", label: "nav.offers", permission: "offers:read" },
    { href: "/affiliate/campaigns", label: "nav.campaigns", permission: "campaigns:read" },
    { href: "/affiliate/postbacks", label: "nav.postbacks", permission: "postbacks:read" },
    { href: "/affiliate/demo-receiver", label: "nav.demoReceiver", permission: "postbacks:read" },
    { href: "/affiliate/logs", label: "nav.logs", permission: "logs:read" },
    { href: "/affiliate/stats", label: "nav.stats", permission: "stats:read" },
    { href: "/affiliate/api-keys", label: "nav.apiKeys", permission: "api_keys:write" },
  ],
  network: [
    { href: "/network", label: "nav.overview", permission: "offers:read" },
    { href: "/network/offers", label: "nav.offers", permission: "offers:read" },
    { href: "/network/merchants", label: "nav.merchants", permission: "offers:read" },
    { href: "/network/affiliates", label: "nav.affiliates", permission: "memberships:read" },
    { href: "/network/endpoints", label: "nav.endpoints", permission: "endpoints:read" },
    { href: "/network/conversions", label: "nav.conversions", permission: "conversions:read" },
    { href: "/network/postbacks", label: "nav.postbacks", permission: "postbacks:read" },
    { href: "/network/demo-receiver", label: "nav.demoReceiver", permission: "postbacks:read" },
    { href: "/network/logs", label: "nav.logs", permission: "logs:read" },
    { href: "/network/stats", label: "nav.stats", permission: "stats:read" },
    { href: "/network/api-keys", label: "nav.apiKeys", permission: "api_keys:write" },
  ],
  merchant: [
    { href: "/merchant", label: "nav.overview", permission: "endpoints:read" },
    { href: "/merchant/conversions", label: "nav.conversions", permission: "conversions:read" },
    { href: "/merchant/logs", label: "nav.logs", permission: "logs:read" },
    { href: "/merchant/api-keys", label: "nav.apiKeys", permission: "api_keys:write" },
  ],
  platform: [
    { href: "/admin", label: "nav.overview", permission: "health:read" },
    { href: "/admin/health", label: "nav.health", permission: "health:read" },
    { href: "/admin/organizations", label: "nav.organizations", permission: "organizations:read" },
    { href: "/admin/users", label: "nav.users", permission: "users:read" },
  ],
};
