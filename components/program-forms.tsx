"use client";

import { addCapAction, addGoalAction, addPayoutRuleAction, addRuleAction, setHoldAction } from "@/app/(workspace)/network/offers/[id]/program-actions";
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

function GoalSelect({ id, goals }: { id: string; goals: string[] }) {
  return (
    <select id={id} name="goalKey" className={inputClass}>
      <option value="">Every goal</option>
      {["default", ...goals].map((g) => <option key={g} value={g}>{g}</option>)}
    </select>
  );
}

function KindSelect({ id, name }: { id: string; name: string }) {
  return (
    <select id={id} name={name} className={inputClass}>
      <option value="flat">Flat</option>
      <option value="percent">% of sale amount</option>
    </select>
  );
}

export function GoalForm({ offerId }: { offerId: string }) {
  return (
    <ActionForm action={addGoalAction} submitLabel="Add goal" success={() => "Goal added."} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="g-key" label="Key (what postbacks send as goal=)" error={error} field="key"><input id="g-key" name="key" className={inputClass} placeholder="deposit" /></Field>
          <Field id="g-name" label="Name" error={error} field="name"><input id="g-name" name="name" className={inputClass} placeholder="First deposit" /></Field>
          <Field id="g-payout" label="Payout" error={error} field="payout"><input id="g-payout" name="payout" className={inputClass} placeholder="25.00" /></Field>
          <Field id="g-payout-kind" label="Payout is" error={error} field="payoutKind"><KindSelect id="g-payout-kind" name="payoutKind" /></Field>
          <Field id="g-revenue" label="Revenue" error={error} field="revenue"><input id="g-revenue" name="revenue" className={inputClass} placeholder="40.00" /></Field>
          <Field id="g-revenue-kind" label="Revenue is" error={error} field="revenueKind"><KindSelect id="g-revenue-kind" name="revenueKind" /></Field>
          <Field id="g-hold" label="Hold (hours, optional)" error={error} field="holdHours"><input id="g-hold" name="holdHours" className={inputClass} placeholder="72" /></Field>
          <label className="mt-6 flex items-center gap-2 text-sm"><input type="checkbox" name="multiple" /> Many per click (by transaction id)</label>
        </>
      )}
    </ActionForm>
  );
}

export function PayoutRuleForm({ offerId, affiliates, goals }: { offerId: string; affiliates: Choice[]; goals: string[] }) {
  return (
    <ActionForm action={addPayoutRuleAction} submitLabel="Add payout" success={() => "Payout rule added."} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="p-aff" label="Affiliate" error={error} field="affiliateId">
            <select id="p-aff" name="affiliateId" className={inputClass}>{affiliates.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}</select>
          </Field>
          <Field id="p-goal" label="Goal" error={error} field="goalKey"><GoalSelect id="p-goal" goals={goals} /></Field>
          <Field id="p-payout" label="Payout" error={error} field="payout"><input id="p-payout" name="payout" className={inputClass} placeholder="30.00" /></Field>
          <Field id="p-payout-kind" label="Payout is" error={error} field="payoutKind"><KindSelect id="p-payout-kind" name="payoutKind" /></Field>
          <Field id="p-revenue" label="Revenue (optional)" error={error} field="revenue"><input id="p-revenue" name="revenue" className={inputClass} /></Field>
          <Field id="p-revenue-kind" label="Revenue is" error={error} field="revenueKind"><KindSelect id="p-revenue-kind" name="revenueKind" /></Field>
          <Field id="p-from" label="Valid from" error={error} field="validFrom"><input id="p-from" name="validFrom" type="date" className={inputClass} /></Field>
        </>
      )}
    </ActionForm>
  );
}

export function CapForm({ offerId, affiliates, goals }: { offerId: string; affiliates: Choice[]; goals: string[] }) {
  return (
    <ActionForm action={addCapAction} submitLabel="Add cap" success={() => "Cap added."} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="c-goal" label="Goal" error={error} field="goalKey"><GoalSelect id="c-goal" goals={goals} /></Field>
          <Field id="c-aff" label="Affiliate" error={error} field="affiliateId">
            <select id="c-aff" name="affiliateId" className={inputClass}><option value="">Every affiliate</option>{affiliates.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}</select>
          </Field>
          <Field id="c-period" label="Period" error={error} field="period">
            <select id="c-period" name="period" className={inputClass}><option value="day">Day</option><option value="week">Week</option><option value="month">Month</option><option value="total">Total</option></select>
          </Field>
          <Field id="c-metric" label="Counts" error={error} field="metric">
            <select id="c-metric" name="metric" className={inputClass}><option value="count">Conversions</option><option value="payout">Payout</option></select>
          </Field>
          <Field id="c-limit" label="Limit" error={error} field="capLimit"><input id="c-limit" name="capLimit" className={inputClass} placeholder="100" /></Field>
          <Field id="c-action" label="Over the cap" error={error} field="action">
            <select id="c-action" name="action" className={inputClass}><option value="reject">Reject (cap_reached)</option><option value="hold">Hold</option><option value="zero_payout">Accept with zero payout</option></select>
          </Field>
        </>
      )}
    </ActionForm>
  );
}

export function RuleForm({ offerId }: { offerId: string }) {
  return (
    <ActionForm action={addRuleAction} submitLabel="Add rule" success={() => "Rule added."} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="r-kind" label="Check" error={error} field="kind">
            <select id="r-kind" name="kind" className={inputClass}>
              <option value="min_click_seconds">Click to conversion at least (s)</option>
              <option value="max_click_seconds">Click to conversion at most (s)</option>
              <option value="ip_limit">Conversions per IP at most</option>
              <option value="countries">Allowed countries</option>
            </select>
          </Field>
          <Field id="r-threshold" label="Seconds or count" error={error} field="threshold"><input id="r-threshold" name="threshold" className={inputClass} placeholder="15" /></Field>
          <Field id="r-window" label="IP window (minutes)" error={error} field="windowMinutes"><input id="r-window" name="windowMinutes" className={inputClass} placeholder="1440" /></Field>
          <Field id="r-countries" label="Countries" error={error} field="countries"><input id="r-countries" name="countries" className={inputClass} placeholder="US, DE" /></Field>
          <Field id="r-action" label="Then" error={error} field="action">
            <select id="r-action" name="action" className={inputClass}><option value="flag">Flag for review</option><option value="hold">Hold</option><option value="reject">Reject</option></select>
          </Field>
        </>
      )}
    </ActionForm>
  );
}

export function HoldForm({ offerId, holdHours, capFallbackUrl }: { offerId: string; holdHours: number | null; capFallbackUrl: string | null }) {
  return (
    <ActionForm action={setHoldAction} submitLabel="Save" success={() => "Saved."} className={GRID}>
      {(error) => (
        <>
          <input type="hidden" name="offerId" value={offerId} />
          <Field id="h-hours" label="Hold new approvals for (hours)" error={error} field="holdHours"><input id="h-hours" name="holdHours" defaultValue={holdHours ?? ""} className={inputClass} placeholder="No hold" /></Field>
          <Field id="h-fallback" label="Clicks go here while capped" error={error} field="capFallbackUrl"><input id="h-fallback" name="capFallbackUrl" defaultValue={capFallbackUrl ?? ""} className={inputClass} placeholder="https://…" /></Field>
        </>
      )}
    </ActionForm>
  );
}
