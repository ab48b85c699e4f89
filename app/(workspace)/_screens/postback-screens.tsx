import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { HOME_PATHS } from "@/lib/access/permissions";
import { getOwnPostback, listOwnPostbacks, postbackChoices } from "@/lib/outgoing/postbacks";
import { latestMatchingConversion } from "@/lib/outgoing/postback-config";
import { PostbackForm, type PostbackFormValues } from "@/components/postback-form";
import { deletePostbackAction, setPostbackEnabledAction } from "@/app/(workspace)/postbacks/actions";
import { ActionButton } from "@/components/action-button";
import { StatusBadge } from "@/components/status-badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/page";
import { buttonClass } from "@/components/ui/styles";

const SCOPE_WORDS = { all: "scopes.all", offer: "scopes.offer", campaign: "scopes.campaign", merchant: "scopes.merchant" } as const;
const STATUS_WORDS = { lead: "statuses.lead", approved: "statuses.approved", rejected: "statuses.rejected", hold: "statuses.hold" } as const;

/** Integration → Postbacks: the list, for an affiliate or a network. */
export async function PostbackListScreen() {
  const user = await requirePermission("postbacks:read");
  const base = `${HOME_PATHS[user.orgKind]}/postbacks`;
  const [rows, t, format] = await Promise.all([listOwnPostbacks(getDb(), user.orgId), getTranslations("postbacks"), getFormatter()]);
  return (
    <>
      <PageHeader
        title={t("title")}
        description={user.orgKind === "affiliate" ? t("descriptionAffiliate") : t("descriptionNetwork")}
        actions={<Link href={`${base}/new`} className={buttonClass("primary")}>{t("add")}</Link>}
      />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100">
            {rows.map((pb) => (
              <li key={pb.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                    <Link href={`${base}/${pb.id}`} className="text-brand-700 hover:underline">{pb.name}</Link>
                    {pb.enabled && !pb.pausedAt ? <StatusBadge status="enabled" label={t("enabled")} /> : <StatusBadge status="paused" label={t("paused")} />}
                    <span className="text-xs text-slate-500">
                      {t("summary", { scope: t(SCOPE_WORDS[pb.scope]), statuses: format.list(pb.statuses.map((status) => t(STATUS_WORDS[status]))) })}
                      {pb.goals ? <span data-goals> · {pb.goals.join(", ")}</span> : null}
                    </span>
                  </p>
                  <code className="mt-1 block truncate text-xs text-slate-500">{pb.method} {pb.urlTemplate}</code>
                  {pb.pausedAt ? <p role="status" className="mt-1 text-xs text-amber-700">{t("autoPaused", { count: pb.consecutiveFailures })}</p> : null}
                </div>
                <span className="flex gap-2">
                  <ActionButton action={setPostbackEnabledAction} input={{ id: pb.id, enabled: !(pb.enabled && !pb.pausedAt) }} label={pb.enabled && !pb.pausedAt ? t("pause") : t("resume")} />
                  <ActionButton action={deletePostbackAction} input={{ id: pb.id }} label={t("delete")} variant="ghost" confirm={t("deleteConfirm", { name: pb.name })} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

const NEW_POSTBACK_STATUSES = ["lead", "approved", "rejected"] as const;

/** Add / Edit: `id` undefined makes a new one; another organization's id is a 404. */
export async function PostbackEditScreen({ id }: { id?: string }) {
  const user = await requirePermission("postbacks:write");
  const db = getDb();
  const [existing, choices] = await Promise.all([id ? getOwnPostback(db, user.orgId, id) : null, postbackChoices(db, user)]);
  if (id && !existing) notFound();
  const t = await getTranslations("postbacks");
  const initial: PostbackFormValues = existing
    ? {
        id: existing.id,
        name: existing.name,
        scope: existing.scope,
        offerId: existing.offerId ?? "",
        campaignId: existing.campaignId ?? "",
        merchantId: existing.merchantId ?? "",
        statuses: existing.statuses,
        goals: existing.goals?.join(", ") ?? "",
        method: existing.method,
        bodyFormat: existing.bodyFormat,
        urlTemplate: existing.urlTemplate,
        bodyTemplate: existing.bodyTemplate ?? "",
        headers: Object.entries(existing.headers).map(([k, v]) => `${k}: ${v}`).join("\n"),
        enabled: existing.enabled,
        hasSigningSecret: existing.hasSigningSecret,
      }
    : {
        name: "",
        scope: choices.scopes[0].value,
        offerId: "",
        campaignId: "",
        merchantId: "",
        statuses: [...NEW_POSTBACK_STATUSES],
        goals: "",
        method: "GET",
        bodyFormat: "none",
        urlTemplate: "",
        bodyTemplate: "",
        headers: "",
        enabled: true,
        hasSigningSecret: false,
      };
  // What Test's "latest real conversion" would send, for the settings as saved (or as the form starts).
  const latestConversion = await latestMatchingConversion(
    db,
    existing
      ? { ownerOrgId: user.orgId, ownerKind: user.orgKind, scope: existing.scope, offerId: existing.offerId, campaignId: existing.campaignId, merchantId: existing.merchantId, statuses: existing.statuses, goals: existing.goals }
      : { ownerOrgId: user.orgId, ownerKind: user.orgKind, scope: choices.scopes[0].value, offerId: null, campaignId: null, merchantId: null, statuses: [...NEW_POSTBACK_STATUSES] },
  );
  return (
    <>
      <PageHeader title={existing ? t("editTitle", { name: existing.name }) : t("add")} description={t("editDescription")} />
      <Card>
        <PostbackForm
          initial={initial}
          scopes={[...choices.scopes]}
          offers={choices.offers}
          campaigns={choices.campaigns}
          merchants={choices.merchants}
          listPath={`${HOME_PATHS[user.orgKind]}/postbacks`}
          latestConversion={latestConversion}
        />
      </Card>
    </>
  );
}
