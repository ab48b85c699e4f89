import { describe, expect, it } from "vitest";
import { can, HOME_PATHS, PERMISSIONS } from "@/lib/access/permissions";

describe("permission table", () => {
  it("gives each party its own work and nothing of another party's", () => {
    expect(can({ orgKind: "affiliate", role: "owner" }, "postbacks:write")).toBe(true);
    expect(can({ orgKind: "affiliate", role: "owner" }, "offers:write")).toBe(false);
    expect(can({ orgKind: "affiliate", role: "owner" }, "endpoints:read")).toBe(false);
    expect(can({ orgKind: "network", role: "member" }, "endpoints:write")).toBe(true);
    expect(can({ orgKind: "network", role: "member" }, "users:write")).toBe(false);
    expect(can({ orgKind: "merchant", role: "owner" }, "logs:read")).toBe(true);
    expect(can({ orgKind: "merchant", role: "owner" }, "conversions:write")).toBe(false);
    expect(can({ orgKind: "platform", role: "owner" }, "users:write")).toBe(true);
    expect(can({ orgKind: "platform", role: "owner" }, "postbacks:read")).toBe(false);
  });

  it("lets a viewer read what its party reads and write nothing", () => {
    const viewer = { orgKind: "network", role: "viewer" } as const;
    const member = { orgKind: "network", role: "member" } as const;
    for (const permission of PERMISSIONS) {
      const expected = permission.endsWith(":read") ? can(member, permission) : false;
      expect(can(viewer, permission), permission).toBe(expected);
    }
  });

  it("has a home for every party", () => {
    expect(HOME_PATHS).toEqual({ affiliate: "/affiliate", network: "/network", merchant: "/merchant", platform: "/admin" });
  });
});
