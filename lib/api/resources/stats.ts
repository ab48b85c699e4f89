import { z } from "zod";
import { organizationTimeZone, timeZoneSchema } from "@/lib/access/organizations";
import { AppError } from "@/lib/platform/errors";
import { dailyStats, goalBreakdown, networkBreakdown, parseStatsRange } from "@/lib/reports/stats";
import { operation } from "../operation";

const statsQuery = z.object({
  from: z.string().max(10).optional().meta({ description: "First day, YYYY-MM-DD (default: 13 days before `to`)." }),
  to: z.string().max(10).optional().meta({ description: "Last day, YYYY-MM-DD (default: today)." }),
  timeZone: timeZoneSchema.optional().meta({ description: "The IANA zone days are counted in (default: your organization's). Another zone than your organization's is counted from raw rows rather than the daily rollups: exact, slower over long ranges." }),
  groupBy: z.enum(["day", "offer", "affiliate", "goal"]).default("day").meta({ description: "`offer` and `affiliate` are a network's." }),
});

const rowSchema = z
  .object({
    key: z.string().meta({ description: "The day (YYYY-MM-DD), offer id, affiliate id or goal key." }),
    name: z.string().optional(),
    clicks: z.number().int().optional().meta({ description: "Absent per goal: a click has no goal." }),
    conversions: z.number().int(),
    approved: z.number().int(),
    rejected: z.number().int().optional(),
    payout: z.number(),
    revenue: z.number().nullable().meta({ description: "Null for an affiliate." }),
  })
  .meta({ id: "StatsRow" });

/** Clicks, conversions and money over a range of days, per day, offer, affiliate or goal. */
export const statsOperations = [
  operation({
    id: "getStats",
    method: "get",
    path: "/stats",
    tag: "Stats",
    summary: "Clicks, conversions and money per day, offer, affiliate or goal",
    description: "Conversions count on the day they were made, in their status now; money counts approved conversions. At most 366 days.",
    permission: "stats:read",
    query: statsQuery,
    response: z
      .object({ from: z.string(), to: z.string(), timeZone: z.string(), groupBy: z.string(), data: z.array(rowSchema) })
      .meta({ id: "Stats" }),
    handler: async ({ query }, { db, principal }) => {
      const timeZone = query.timeZone ?? (await organizationTimeZone(db, principal.orgId));
      const range = parseStatsRange({ from: query.from, to: query.to, timeZone });
      const hideRevenue = principal.orgKind === "affiliate";
      const answer = (data: z.input<typeof rowSchema>[]) => ({ from: range.from, to: range.to, timeZone, groupBy: query.groupBy, data });
      if (query.groupBy === "day") {
        const days = await dailyStats(db, principal, range);
        return answer(days.map((d) => ({ key: d.day, clicks: d.clicks, conversions: d.leads, approved: d.approved, rejected: d.rejected, payout: d.payout, revenue: hideRevenue ? null : d.revenue })));
      }
      if (query.groupBy === "goal") {
        const goals = await goalBreakdown(db, principal, range);
        return answer(goals.map((g) => ({ key: g.goal, conversions: g.conversions, approved: g.approved, payout: g.payout, revenue: g.revenue })));
      }
      if (principal.orgKind !== "network") throw new AppError("invalid_input", "errors.api.statsGroupBy", { field: "groupBy" });
      const rows = await networkBreakdown(db, principal.orgId, query.groupBy, range);
      return answer(rows.map((r) => ({ key: r.id, name: r.name, clicks: r.clicks, conversions: r.conversions, approved: r.approved, payout: r.payout, revenue: r.revenue })));
    },
  }),
];
