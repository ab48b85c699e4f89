import { notFound } from "next/navigation";
import { OfferForm } from "@/components/offer-form";
import { StatusBadge } from "@/components/status-badge";
import { Card, PageHeader } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listMerchants } from "@/lib/incoming/endpoints";
import { getNetworkOffer } from "@/lib/tracking/offers";

export default async function NetworkOfferPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("offers:read");
  const { id } = await params;
  const [row, merchants] = await Promise.all([getNetworkOffer(getDb(), user.orgId, id), listMerchants(getDb())]);
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
      <div className="mt-6">
        <Card title="Edit">
          <OfferForm
            merchants={merchants}
            initial={{
              id: offer.id,
              name: offer.name,
              merchantId: offer.merchantId,
              description: offer.description ?? "",
              landingUrl: offer.landingUrl,
              defaultPayout: offer.defaultPayout,
              defaultRevenue: offer.defaultRevenue,
              currency: offer.currency,
              allowMultipleConversions: offer.allowMultipleConversions,
              clickLifetimeHours: offer.clickLifetimeHours,
              status: offer.status,
            }}
          />
        </Card>
      </div>
    </>
  );
}
