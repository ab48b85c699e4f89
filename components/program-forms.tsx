"use client";

import { useTranslations } from "next-intl";
import { addCapAction, addGoalAction, addPayoutRuleAction, addRuleAction, changeCapAction, changeGoalAction, changePayoutRuleAction, changeRuleAction, setHoldAction } from "@/app/(workspace)/network/offers/[id]/program-actions";
import type { ActionResult } from "@/lib/access/action";
import { BLOCKABLE_PARAMS, CAP_PERIODS, RULE_KINDS } from "@/lib/program/terms";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

type Choice = { id: string; name: string };
type ErrorOf = Parameters<typeof FieldError>[0]["error"];

function Field({ id, label, error, field, children }: { id: string; label: string; error: ErrorOf; field: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>{label}</label>
      {children}
      <FieldError error={error} field={field} />
    </div>
  );
}

const GRID = "grid gap-3 sm:grid-cols-2 lg:grid-cols-4";

type Part = { id: string; label: string };

/** The change form of one kind of program part: which part, then fields a blank leaves as they are. */
function PartChangeForm<T>({ action, offerId, which, parts, submitLabel, success, children }: {
  action: (form: FormData) => Promise<ActionResult<T>>;
  offerId: string;
  which: { id: string; label: string };
  parts: Part[];
  submitLabel: string;
  success: string;
  children: (error: ErrorOf) => React.ReactNode;
}) {
  return (
    <ActionForm action={action} submitLabel={submitLabel} success={() => success} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id={which.id} label={which.label} error={error} field="id">
            <select id={which.id} name="id" className={inputClass}>{parts.map((part) => <option key={part.id} value={part.id}>{part.label}</option>)}</select>
          </Field>
          {children(error)}
        </>
      )}
    </ActionForm>
  );
}

function GoalSelect({ id, goals }: { id: string; goals: string[] }) {
  const t = useTranslations("program");
  return (
    <select id={id} name="goalKey" className={inputClass}>
      <option value="">{t("everyGoal")}</option>
      {["default", ...goals].map((g) => <option key={g} value={g}>{g}</option>)}
    </select>
  );
}

function AffiliateSelect({ id, affiliates }: { id: string; affiliates: Choice[] }) {
  const t = useTranslations("program");
  return (
    <select id={id} name="affiliateId" className={inputClass}>
      <option value="">{t("everyAffiliate")}</option>
      {affiliates.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
    </select>
  );
}

/** sub1…sub10 or source; `keep` first offers to leave it as it is. */
function ParamSelect({ id, keep = false }: { id: string; keep?: boolean }) {
  const t = useTranslations("program");
  return (
    <select id={id} name="param" className={inputClass}>
      <option value="">{keep ? t("keep") : "—"}</option>
      {BLOCKABLE_PARAMS.map((param) => <option key={param} value={param}>{param}</option>)}
    </select>
  );
}

function KindSelect({ id, name, keep = false }: { id: string; name: string; keep?: boolean }) {
  const t = useTranslations("program");
  return (
    <select id={id} name={name} className={inputClass}>
      {keep ? <option value="">{t("keep")}</option> : null}
      <option value="flat">{t("kind", { kind: "flat" })}</option>
      <option value="percent">{t("kind", { kind: "percent" })}</option>
    </select>
  );
}

export function GoalForm({ offerId }: { offerId: string }) {
  const t = useTranslations("program");
  return (
    <ActionForm action={addGoalAction} submitLabel={t("goals.add")} success={() => t("goals.added")} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="g-key" label={t("goals.keyLabel")} error={error} field="key"><input id="g-key" name="key" className={inputClass} placeholder="deposit" /></Field>
          <Field id="g-name" label={t("fields.name")} error={error} field="name"><input id="g-name" name="name" className={inputClass} placeholder={t("goals.namePlaceholder")} /></Field>
          <Field id="g-payout" label={t("fields.payout")} error={error} field="payout"><input id="g-payout" name="payout" className={inputClass} placeholder="25.00" /></Field>
          <Field id="g-payout-kind" label={t("fields.payoutIs")} error={error} field="payoutKind"><KindSelect id="g-payout-kind" name="payoutKind" /></Field>
          <Field id="g-revenue" label={t("fields.revenue")} error={error} field="revenue"><input id="g-revenue" name="revenue" className={inputClass} placeholder="40.00" /></Field>
          <Field id="g-revenue-kind" label={t("fields.revenueIs")} error={error} field="revenueKind"><KindSelect id="g-revenue-kind" name="revenueKind" /></Field>
          <Field id="g-hold" label={t("goals.holdLabel")} error={error} field="holdHours"><input id="g-hold" name="holdHours" className={inputClass} placeholder="72" /></Field>
          <label className="mt-6 flex items-center gap-2 text-sm"><input type="checkbox" name="multiple" /> {t("goals.multiple")}</label>
        </>
      )}
    </ActionForm>
  );
}

/** A goal's new name, amounts or hold, for its conversions from now on; a blank field keeps what it is. */
export function GoalChangeForm({ offerId, goals }: { offerId: string; goals: { id: string; key: string }[] }) {
  const t = useTranslations("program");
  const parts = goals.map((goal) => ({ id: goal.id, label: goal.key }));
  return (
    <PartChangeForm action={changeGoalAction} offerId={offerId} which={{ id: "gc-goal", label: t("goals.which") }} parts={parts} submitLabel={t("goals.change")} success={t("goals.changed")}>
      {(error) => (
        <>
          <Field id="gc-name" label={t("goals.newName")} error={error} field="name"><input id="gc-name" name="name" className={inputClass} /></Field>
          <Field id="gc-payout" label={t("goals.newPayout")} error={error} field="payout"><input id="gc-payout" name="payout" className={inputClass} placeholder="30.00" /></Field>
          <Field id="gc-payout-kind" label={t("fields.payoutIs")} error={error} field="payoutKind"><KindSelect id="gc-payout-kind" name="payoutKind" keep /></Field>
          <Field id="gc-revenue" label={t("goals.newRevenue")} error={error} field="revenue"><input id="gc-revenue" name="revenue" className={inputClass} placeholder="45.00" /></Field>
          <Field id="gc-revenue-kind" label={t("fields.revenueIs")} error={error} field="revenueKind"><KindSelect id="gc-revenue-kind" name="revenueKind" keep /></Field>
          <Field id="gc-hold" label={t("goals.newHold")} error={error} field="holdHours"><input id="gc-hold" name="holdHours" inputMode="numeric" className={inputClass} /></Field>
        </>
      )}
    </PartChangeForm>
  );
}

export function PayoutRuleForm({ offerId, affiliates, goals }: { offerId: string; affiliates: Choice[]; goals: string[] }) {
  const t = useTranslations("program");
  return (
    <ActionForm action={addPayoutRuleAction} submitLabel={t("payouts.add")} success={() => t("payouts.added")} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="p-aff" label={t("fields.affiliate")} error={error} field="affiliateId">
            <select id="p-aff" name="affiliateId" className={inputClass}>{affiliates.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}</select>
          </Field>
          <Field id="p-goal" label={t("fields.goal")} error={error} field="goalKey"><GoalSelect id="p-goal" goals={goals} /></Field>
          <Field id="p-payout" label={t("fields.payout")} error={error} field="payout"><input id="p-payout" name="payout" className={inputClass} placeholder="30.00" /></Field>
          <Field id="p-payout-kind" label={t("fields.payoutIs")} error={error} field="payoutKind"><KindSelect id="p-payout-kind" name="payoutKind" /></Field>
          <Field id="p-revenue" label={t("payouts.revenueOptional")} error={error} field="revenue"><input id="p-revenue" name="revenue" className={inputClass} /></Field>
          <Field id="p-revenue-kind" label={t("fields.revenueIs")} error={error} field="revenueKind"><KindSelect id="p-revenue-kind" name="revenueKind" /></Field>
          <Field id="p-from" label={t("payouts.validFrom")} error={error} field="validFrom"><input id="p-from" name="validFrom" type="date" className={inputClass} /></Field>
        </>
      )}
    </ActionForm>
  );
}

export function CapForm({ offerId, affiliates, goals }: { offerId: string; affiliates: Choice[]; goals: string[] }) {
  const t = useTranslations("program");
  return (
    <ActionForm action={addCapAction} submitLabel={t("caps.add")} success={() => t("caps.added")} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="c-goal" label={t("fields.goal")} error={error} field="goalKey"><GoalSelect id="c-goal" goals={goals} /></Field>
          <Field id="c-aff" label={t("fields.affiliate")} error={error} field="affiliateId">
            <AffiliateSelect id="c-aff" affiliates={affiliates} />
          </Field>
          <Field id="c-period" label={t("caps.period")} error={error} field="period">
            <select id="c-period" name="period" defaultValue="day" className={inputClass}>{CAP_PERIODS.map((period) => <option key={period} value={period}>{t("caps.periodName", { period })}</option>)}</select>
          </Field>
          <Field id="c-metric" label={t("caps.counts")} error={error} field="metric">
            <select id="c-metric" name="metric" className={inputClass}>{(["count", "payout", "revenue"] as const).map((metric) => <option key={metric} value={metric}>{t("caps.metric", { metric })}</option>)}</select>
          </Field>
          <Field id="c-limit" label={t("caps.limit")} error={error} field="capLimit"><input id="c-limit" name="capLimit" className={inputClass} placeholder="100" /></Field>
          <Field id="c-action" label={t("caps.overCap")} error={error} field="action">
            <select id="c-action" name="action" className={inputClass}>{(["reject", "hold", "zero_payout", "flag"] as const).map((action) => <option key={action} value={action}>{t("caps.action", { action })}</option>)}</select>
          </Field>
        </>
      )}
    </ActionForm>
  );
}

/** A payout rule's new amounts or start, for conversions from now on; a blank field keeps what it is. */
export function PayoutRuleChangeForm({ offerId, rules }: { offerId: string; rules: Part[] }) {
  const t = useTranslations("program");
  return (
    <PartChangeForm action={changePayoutRuleAction} offerId={offerId} which={{ id: "pc-rule", label: t("payouts.which") }} parts={rules} submitLabel={t("payouts.change")} success={t("payouts.changed")}>
      {(error) => (
        <>
          <Field id="pc-payout" label={t("payouts.newPayout")} error={error} field="payout"><input id="pc-payout" name="payout" className={inputClass} placeholder="30.00" /></Field>
          <Field id="pc-payout-kind" label={t("fields.payoutIs")} error={error} field="payoutKind"><KindSelect id="pc-payout-kind" name="payoutKind" keep /></Field>
          <Field id="pc-revenue" label={t("payouts.newRevenue")} error={error} field="revenue"><input id="pc-revenue" name="revenue" className={inputClass} /></Field>
          <Field id="pc-revenue-kind" label={t("fields.revenueIs")} error={error} field="revenueKind"><KindSelect id="pc-revenue-kind" name="revenueKind" keep /></Field>
          <Field id="pc-from" label={t("payouts.newValidFrom")} error={error} field="validFrom"><input id="pc-from" name="validFrom" type="date" className={inputClass} /></Field>
        </>
      )}
    </PartChangeForm>
  );
}

/** A cap's new limit or action; `caps` name each cap as its row does. What its period used stays counted. */
export function CapChangeForm({ offerId, caps }: { offerId: string; caps: Part[] }) {
  const t = useTranslations("program");
  return (
    <PartChangeForm action={changeCapAction} offerId={offerId} which={{ id: "cc-cap", label: t("caps.which") }} parts={caps} submitLabel={t("caps.change")} success={t("caps.changed")}>
      {(error) => (
        <>
          <Field id="cc-limit" label={t("caps.newLimit")} error={error} field="capLimit"><input id="cc-limit" name="capLimit" className={inputClass} placeholder="150" /></Field>
          <Field id="cc-action" label={t("caps.newAction")} error={error} field="action">
            <select id="cc-action" name="action" className={inputClass}>
              <option value="">{t("keep")}</option>
              {(["reject", "hold", "zero_payout", "flag"] as const).map((action) => <option key={action} value={action}>{t("caps.action", { action })}</option>)}
            </select>
          </Field>
        </>
      )}
    </PartChangeForm>
  );
}

export function RuleForm({ offerId, affiliates }: { offerId: string; affiliates: Choice[] }) {
  const t = useTranslations("program");
  return (
    <ActionForm action={addRuleAction} submitLabel={t("rules.add")} success={() => t("rules.added")} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="r-kind" label={t("rules.check")} error={error} field="kind">
            <select id="r-kind" name="kind" className={inputClass}>
              {RULE_KINDS.map((kind) => (
                <option key={kind} value={kind}>{t("rules.kind", { kind })}</option>
              ))}
            </select>
          </Field>
          <Field id="r-threshold" label={t("rules.threshold")} error={error} field="threshold"><input id="r-threshold" name="threshold" className={inputClass} placeholder="15" /></Field>
          <Field id="r-window" label={t("rules.window")} error={error} field="windowMinutes"><input id="r-window" name="windowMinutes" className={inputClass} placeholder="1440" /></Field>
          <Field id="r-countries" label={t("rules.countries")} error={error} field="countries"><input id="r-countries" name="countries" className={inputClass} placeholder="US, DE" /></Field>
          <Field id="r-param" label={t("rules.param")} error={error} field="param"><ParamSelect id="r-param" /></Field>
          <Field id="r-blocked" label={t("rules.blockedValues")} error={error} field="blockedValues"><input id="r-blocked" name="blockedValues" className={inputClass} placeholder="site-42, 198.51.100.0/24" /></Field>
          <Field id="r-aff" label={t("fields.affiliate")} error={error} field="affiliateId"><AffiliateSelect id="r-aff" affiliates={affiliates} /></Field>
          <Field id="r-action" label={t("rules.then")} error={error} field="action">
            <select id="r-action" name="action" className={inputClass}>{(["flag", "hold", "reject"] as const).map((action) => <option key={action} value={action}>{t("rules.action", { action })}</option>)}</select>
          </Field>
        </>
      )}
    </ActionForm>
  );
}

/** A conversion rule's new setting or action, for conversions from now on; its kind stays. */
export function RuleChangeForm({ offerId, rules }: { offerId: string; rules: Part[] }) {
  const t = useTranslations("program");
  return (
    <PartChangeForm action={changeRuleAction} offerId={offerId} which={{ id: "rc-rule", label: t("rules.which") }} parts={rules} submitLabel={t("rules.change")} success={t("rules.changed")}>
      {(error) => (
        <>
          <Field id="rc-threshold" label={t("rules.threshold")} error={error} field="threshold"><input id="rc-threshold" name="threshold" className={inputClass} /></Field>
          <Field id="rc-window" label={t("rules.window")} error={error} field="windowMinutes"><input id="rc-window" name="windowMinutes" className={inputClass} /></Field>
          <Field id="rc-countries" label={t("rules.countries")} error={error} field="countries"><input id="rc-countries" name="countries" className={inputClass} /></Field>
          <Field id="rc-param" label={t("rules.param")} error={error} field="param"><ParamSelect id="rc-param" keep /></Field>
          <Field id="rc-blocked" label={t("rules.blockedValues")} error={error} field="blockedValues"><input id="rc-blocked" name="blockedValues" className={inputClass} /></Field>
          <Field id="rc-action" label={t("rules.then")} error={error} field="action">
            <select id="rc-action" name="action" className={inputClass}>
              <option value="">{t("keep")}</option>
              {(["flag", "hold", "reject"] as const).map((action) => <option key={action} value={action}>{t("rules.action", { action })}</option>)}
            </select>
          </Field>
        </>
      )}
    </PartChangeForm>
  );
}

export function HoldForm({ offerId, holdHours, capFallbackUrl }: { offerId: string; holdHours: number | null; capFallbackUrl: string | null }) {
  const t = useTranslations("program");
  return (
    <ActionForm action={setHoldAction} submitLabel={t("hold.save")} success={() => t("hold.saved")} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="h-hours" label={t("hold.hours")} error={error} field="holdHours"><input id="h-hours" name="holdHours" defaultValue={holdHours ?? ""} className={inputClass} placeholder={t("hold.noHold")} /></Field>
          <Field id="h-fallback" label={t("hold.fallback")} error={error} field="capFallbackUrl"><input id="h-fallback" name="capFallbackUrl" defaultValue={capFallbackUrl ?? ""} className={inputClass} placeholder="https://…" /></Field>
        </>
      )}
    </ActionForm>
  );
}
