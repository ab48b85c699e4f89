"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart as Bars, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ChartFormat = "count" | "money";

// The axis and the values in the reader's digits and separators (1 234,50 in Russian).
const FORMATS = {
  count: { maximumFractionDigits: 0 },
  money: { minimumFractionDigits: 2, maximumFractionDigits: 2 },
} as const satisfies Record<ChartFormat, object>;

/**
 * A bar chart (recharts) with a value axis, the labels along the bottom and each bar's value on
 * hover or keyboard focus. Screen readers get the figure's caption and every value in its label.
 */
export function BarChart({ title, data, format = "count" }: { title: string; data: { label: string; value: number }[]; format?: ChartFormat }) {
  const formatter = useFormatter();
  const t = useTranslations("charts");
  const show = (value: number) => formatter.number(value, FORMATS[format]);
  const summary = t("summary", { title, values: formatter.list(data.map((d) => t("point", { label: d.label, value: show(d.value) })), { type: "unit" }) });
  return (
    <figure className="min-w-0 space-y-2" aria-label={summary} data-chart={title}>
      <figcaption className="text-xs font-medium uppercase tracking-wide text-slate-500">{title}</figcaption>
      <div className="h-48 w-full text-[11px]">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height: 192 }}>
          <Bars data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
            <CartesianGrid vertical={false} stroke="#f1f5f9" />
            <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: "#e2e8f0" }} tick={{ fill: "#64748b" }} minTickGap={12} />
            <YAxis
              width={format === "money" ? 56 : 40}
              allowDecimals={format === "money"}
              tickLine={false}
              axisLine={false}
              tick={{ fill: "#64748b" }}
              tickFormatter={(value: number) => show(value)}
            />
            <Tooltip
              cursor={{ fill: "var(--color-brand-50, #eef2ff)" }}
              formatter={(value) => [show(Number(value)), title]}
              contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
            />
            <Bar dataKey="value" name={title} fill="var(--color-brand-500, #4f5fd6)" radius={[3, 3, 0, 0]} maxBarSize={48} isAnimationActive={false} />
          </Bars>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
