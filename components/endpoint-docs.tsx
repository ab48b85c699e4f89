import { useTranslations } from "next-intl";
import { INCOMING_PARAMETERS, type IncomingParameter } from "@/lib/incoming/incoming-params";
import { CopyButton } from "./copy-button";

/** What a merchant's developer needs: the URL, each parameter with its aliases, and a curl that works. */
export function EndpointDocs({ url }: { url: string }) {
  const t = useTranslations("network.endpointDocs");
  // Keyed by the parameter's name, so a parameter added to the list fails the type check until it is described.
  const descriptions: Record<IncomingParameter, string> = {
    click_id: t("params.click_id", { macro: "{click_id}" }),
    txid: t("params.txid"),
    status: t("params.status"),
    payout: t("params.payout"),
    revenue: t("params.revenue"),
    sale_amount: t("params.sale_amount"),
    goal: t("params.goal"),
    currency: t("params.currency"),
  };
  const curl = `curl "${url}?token=YOUR_SECRET&click_id=CLICK_ID&txid=ORDER-1001&status=sale&payout=12.50"`;
  return (
    <div className="space-y-4 text-sm">
      <div>
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("callUrl")}</p>
        <div className="mt-1 flex items-center gap-2">
          <code className="min-w-0 flex-1 break-all rounded bg-slate-50 px-2 py-1 text-xs">{url}</code>
          <CopyButton value={url} />
        </div>
      </div>
      <table className="min-w-full text-left text-xs">
        <thead>
          <tr className="text-slate-500">
            <th className="py-1 pr-4 font-semibold">{t("parameter")}</th>
            <th className="py-1 pr-4 font-semibold">{t("alsoAccepted")}</th>
            <th className="py-1 font-semibold">{t("carries")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          <tr>
            <td className="py-1.5 pr-4 font-mono">token</td>
            <td className="py-1.5 pr-4 font-mono text-slate-500">{t("tokenHeader")}</td>
            <td className="py-1.5">{t("token")}</td>
          </tr>
          {Object.entries(INCOMING_PARAMETERS).map(([name, spec]) => (
            <tr key={name}>
              <td className="py-1.5 pr-4 font-mono">{name}</td>
              <td className="py-1.5 pr-4 font-mono text-slate-500">{spec.aliases.filter((a) => a !== name).join(", ")}</td>
              <td className="py-1.5">{descriptions[name as IncomingParameter]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("tryIt")}</p>
        <div className="mt-1 flex items-start gap-2">
          <pre className="min-w-0 flex-1 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{curl}</pre>
          <CopyButton value={curl} />
        </div>
        <p className="mt-2 text-xs text-slate-500">
          {t.rich("answer", {
            ok: '{"ok":true,"result":"accepted","conversion_id":"conv_…","status":"approved"}',
            error: '{"ok":false,"error":{"code","message","field"}}',
            code: (chunks) => <code>{chunks}</code>,
          })}
        </p>
      </div>
    </div>
  );
}
