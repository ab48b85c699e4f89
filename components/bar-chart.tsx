/**
 * A small server-rendered bar chart (SVG, no script): one bar per item, its value on hover
 * (<title>) and in an accessible table summary.
 */
export function BarChart({ title, data, format = (v) => String(v) }: { title: string; data: { label: string; value: number }[]; format?: (value: number) => string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const width = 100 / Math.max(1, data.length);
  return (
    <figure className="space-y-2">
      <figcaption className="text-xs font-medium uppercase tracking-wide text-slate-500">{title}</figcaption>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" className="h-32 w-full" role="img" aria-label={`${title}: ${data.map((d) => `${d.label} ${format(d.value)}`).join(", ")}`}>
        {data.map((d, i) => {
          const height = (d.value / max) * 38;
          return (
            <rect key={d.label} x={i * width + width * 0.15} y={40 - height} width={width * 0.7} height={Math.max(height, d.value > 0 ? 0.5 : 0)} rx={0.6} className="fill-brand-500">
              <title>{`${d.label}: ${format(d.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="flex justify-between text-[10px] text-slate-400">
        <span>{data[0]?.label}</span>
        <span>{data.at(-1)?.label}</span>
      </div>
    </figure>
  );
}
