/** The workspace's one search box: any id a person has for a conversion, answered by /find. */
export function ConversionSearch({ defaultValue = "" }: { defaultValue?: string }) {
  return (
    <form method="get" action="/find" role="search" aria-label="Find a conversion" className="mr-auto flex w-full max-w-md items-center gap-2">
      <input
        name="q"
        type="search"
        required
        maxLength={128}
        defaultValue={defaultValue}
        aria-label="Click id, transaction id, delivery id or conversion id"
        placeholder="Find a conversion: click id, transaction id, delivery id…"
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
      />
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">Find</button>
    </form>
  );
}
