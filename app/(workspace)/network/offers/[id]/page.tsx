import { notFound } from "next/navigation";
import { StatusBadge } from "@/components/status-badge";
import { Card, PageHeader } from "@/components/ui/page";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth";
import { getNetworkOffer } from "@/lib/offers";

export default async function NetworkOfferPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("offers:read");
  const { id } = await params;
  const row = await getNetworkOffer(getDb(), user.orgId, id);
  if (!row) notFound();
  const { offer, merchantName } = row;
  const facts: [string, React.ReactNode][] = [
    ["Merchant", merchantName],
    ["Status", <StatusBadge key="s" status={offer.status} />],
    ["Default payout", `${Number(offer.defaultPayout).toFixed(2)} ${offer.currency}`],
    ["Default revenue", `${Number(offer.defaultRevenue).toFixed(2)} ${offer.currency}`],
    ["Several conversions per click", offer.allowMultipleConversions ? "Allowed" : "One per click"],
    ["Click lifetime", `${offer.clickLifetimeHours} hours`],
  ];
  return (
    <>
      <PageHeader title={offer.name} description={offer.description ?? undefined} />
      <Card title="Offer">
        <dl className="grid gap-4 sm:grid-cols-2">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
              <dd className="mt-1 text-sm">{value}</dd>
            </div>
          ))}
          <div className="sm:col-span-2">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Landing URL</dt>
            <dd className="mt-1 break-all font-mono text-xs">{offer.landingUrl}</dd>
          </div>
        </dl>
      </Card>
    </>
  );
}
