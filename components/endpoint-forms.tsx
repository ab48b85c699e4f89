"use client";

import { useTranslations } from "next-intl";
import { createEndpointAction, rotateEndpointSecretAction, updateEndpointAction } from "@/app/(workspace)/network/endpoints/actions";
import { ActionButton } from "./action-button";
import { ActionForm } from "./action-form";
import { CopyButton } from "./copy-button";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

export type EndpointFormValues = {
  id?: string;
  name: string;
  merchantId: string;
  defaultStatus: string;
  statusMap: string;
  ipAllowList: string;
  rateLimitPerMinute: number;
  amountsFromPostback: boolean;
  enabled: boolean;
  hasSigningSecret: boolean;
};

function SecretOnce({ secret }: { secret: string }) {
  const t = useTranslations("network");
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {t("endpointForm.secretOnce")} <code data-testid="endpoint-secret" className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-900">{secret}</code>
      <CopyButton value={secret} />
    </span>
  );
}

export function EndpointForm({ initial, merchants }: { initial: EndpointFormValues; merchants: { id: string; name: string }[] }) {
  const t = useTranslations("network");
  const action = initial.id ? updateEndpointAction : createEndpointAction;
  return (
    <ActionForm
      action={action as (form: FormData) => ReturnType<typeof createEndpointAction>}
      submitLabel={initial.id ? t("endpointForm.save") : t("endpointForm.create")}
      success={(data) => ("secret" in data ? <SecretOnce secret={data.secret} /> : t("common.saved"))}
      className="grid gap-4 sm:grid-cols-2"
    >
      {(error) => (
        <>
          {initial.id ? <input type="hidden" name="id" value={initial.id} /> : null}
          <div>
            <label htmlFor="e-name" className={labelClass}>{t("common.name")}</label>
            <input id="e-name" name="name" defaultValue={initial.name} className={inputClass} placeholder={t("endpointForm.namePlaceholder")} />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="e-merchant" className={labelClass}>{t("common.merchant")}</label>
            <select id="e-merchant" name="merchantId" defaultValue={initial.merchantId} className={inputClass}>
              {merchants.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
            </select>
            <FieldError error={error} field="merchantId" />
          </div>
          <div>
            <label htmlFor="e-map" className={labelClass}>{t("endpointForm.statusMap")}</label>
            <textarea id="e-map" name="statusMap" rows={4} defaultValue={initial.statusMap} className={`${inputClass} font-mono`} placeholder={"sale = approved\ndeclined = rejected\ntest = ignore"} />
            <p className="mt-1 text-xs text-slate-500">{t("endpointForm.statusMapHint")}</p>
            <FieldError error={error} field="statusMap" />
          </div>
          <div>
            <label htmlFor="e-ips" className={labelClass}>{t("endpointForm.ipAllowList")}</label>
            <textarea id="e-ips" name="ipAllowList" rows={4} defaultValue={initial.ipAllowList} className={`${inputClass} font-mono`} placeholder={"198.51.100.7\n10.20.0.0/16\n2001:db8::/32"} />
            <p className="mt-1 text-xs text-slate-500">{t("endpointForm.ipAllowListHint")}</p>
            <FieldError error={error} field="ipAllowList" />
          </div>
          <div>
            <label htmlFor="e-default" className={labelClass}>{t("endpointForm.defaultStatus")}</label>
            <select id="e-default" name="defaultStatus" defaultValue={initial.defaultStatus} className={inputClass}>
              {(["approved", "lead", "hold", "rejected"] as const).map((status) => (
                <option key={status} value={status}>{t("endpointForm.defaultStatusOption", { status })}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="e-rate" className={labelClass}>{t("endpointForm.rateLimit")}</label>
            <input id="e-rate" name="rateLimitPerMinute" type="number" min={1} defaultValue={initial.rateLimitPerMinute} className={inputClass} />
            <FieldError error={error} field="rateLimitPerMinute" />
          </div>
          <div>
            <label htmlFor="e-amounts" className={labelClass}>{t("endpointForm.amounts")}</label>
            <select id="e-amounts" name="amountsFromPostback" defaultValue={String(initial.amountsFromPostback)} className={inputClass}>
              <option value="true">{t("endpointForm.amountsFromPostback")}</option>
              <option value="false">{t("endpointForm.amountsFromProgram")}</option>
            </select>
          </div>
          <div>
            <label htmlFor="e-signing" className={labelClass}>{t("endpointForm.signingSecret")}</label>
            <input id="e-signing" name="signingSecret" type="password" autoComplete="off" className={inputClass} placeholder={initial.hasSigningSecret ? t("endpointForm.signingSet") : t("endpointForm.signingRequire")} />
            {initial.hasSigningSecret ? (
              <label className="mt-2 inline-flex items-center gap-2 text-xs text-slate-600">
                <input type="checkbox" name="removeSigningSecret" /> {t("endpointForm.stopSigning")}
              </label>
            ) : null}
          </div>
          <div>
            <label htmlFor="e-enabled" className={labelClass}>{t("common.state")}</label>
            <select id="e-enabled" name="enabled" defaultValue={String(initial.enabled)} className={inputClass}>
              <option value="true">{t("endpointForm.taking")}</option>
              <option value="false">{t("endpointForm.disabled")}</option>
            </select>
          </div>
        </>
      )}
    </ActionForm>
  );
}

export function RotateSecretButton({ id }: { id: string }) {
  const t = useTranslations("network");
  return (
    <ActionButton
      action={rotateEndpointSecretAction}
      input={{ id }}
      label={t("endpointForm.rotate")}
      confirm={t("endpointForm.rotateConfirm")}
      done={(data) => <SecretOnce secret={data.secret} />}
    />
  );
}
