"use client";

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
  enabled: boolean;
  hasSigningSecret: boolean;
};

function SecretOnce({ secret }: { secret: string }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      Secret, shown once — give it to the merchant now: <code data-testid="endpoint-secret" className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-900">{secret}</code>
      <CopyButton value={secret} />
    </span>
  );
}

export function EndpointForm({ initial, merchants }: { initial: EndpointFormValues; merchants: { id: string; name: string }[] }) {
  const action = initial.id ? updateEndpointAction : createEndpointAction;
  return (
    <ActionForm
      action={action as (form: FormData) => ReturnType<typeof createEndpointAction>}
      submitLabel={initial.id ? "Save endpoint" : "Create endpoint"}
      success={(data) => ("secret" in data ? <SecretOnce secret={data.secret} /> : "Saved.")}
      className="grid gap-4 sm:grid-cols-2"
    >
      {(error) => (
        <>
          {initial.id ? <input type="hidden" name="id" value={initial.id} /> : null}
          <div>
            <label htmlFor="e-name" className={labelClass}>Name</label>
            <input id="e-name" name="name" defaultValue={initial.name} className={inputClass} placeholder="Acme order server" />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="e-merchant" className={labelClass}>Merchant</label>
            <select id="e-merchant" name="merchantId" defaultValue={initial.merchantId} className={inputClass}>
              {merchants.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
            </select>
            <FieldError error={error} field="merchantId" />
          </div>
          <div>
            <label htmlFor="e-map" className={labelClass}>Status map (one “word = status” per line)</label>
            <textarea id="e-map" name="statusMap" rows={4} defaultValue={initial.statusMap} className={`${inputClass} font-mono`} placeholder={"sale = approved\ndeclined = rejected\ntest = ignore"} />
            <p className="mt-1 text-xs text-slate-500">Statuses: lead, approved, rejected, hold, or ignore. Common words (sale, 1, pending, declined…) are known without a line.</p>
            <FieldError error={error} field="statusMap" />
          </div>
          <div>
            <label htmlFor="e-ips" className={labelClass}>IP allow-list (optional)</label>
            <textarea id="e-ips" name="ipAllowList" rows={4} defaultValue={initial.ipAllowList} className={`${inputClass} font-mono`} placeholder={"198.51.100.7\n10.20.0.0/16\n2001:db8::/32"} />
            <p className="mt-1 text-xs text-slate-500">Addresses or CIDR ranges, IPv4 or IPv6. Empty: any address with the secret.</p>
            <FieldError error={error} field="ipAllowList" />
          </div>
          <div>
            <label htmlFor="e-default" className={labelClass}>Status when none is sent</label>
            <select id="e-default" name="defaultStatus" defaultValue={initial.defaultStatus} className={inputClass}>
              <option value="approved">approved</option>
              <option value="lead">lead</option>
              <option value="hold">hold</option>
              <option value="rejected">rejected</option>
            </select>
          </div>
          <div>
            <label htmlFor="e-rate" className={labelClass}>Limit per minute and address</label>
            <input id="e-rate" name="rateLimitPerMinute" type="number" min={1} defaultValue={initial.rateLimitPerMinute} className={inputClass} />
            <FieldError error={error} field="rateLimitPerMinute" />
          </div>
          <div>
            <label htmlFor="e-signing" className={labelClass}>Signing secret (optional HMAC)</label>
            <input id="e-signing" name="signingSecret" type="password" autoComplete="off" className={inputClass} placeholder={initial.hasSigningSecret ? "Set — leave blank to keep it" : "Require signed requests"} />
            {initial.hasSigningSecret ? (
              <label className="mt-2 inline-flex items-center gap-2 text-xs text-slate-600">
                <input type="checkbox" name="removeSigningSecret" /> Stop requiring signatures
              </label>
            ) : null}
          </div>
          <div>
            <label htmlFor="e-enabled" className={labelClass}>State</label>
            <select id="e-enabled" name="enabled" defaultValue={String(initial.enabled)} className={inputClass}>
              <option value="true">Taking postbacks</option>
              <option value="false">Disabled (answers 404)</option>
            </select>
          </div>
        </>
      )}
    </ActionForm>
  );
}

export function RotateSecretButton({ id }: { id: string }) {
  return (
    <ActionButton
      action={rotateEndpointSecretAction}
      input={{ id }}
      label="Rotate secret"
      confirm="Make a new secret? The current one stops working at once."
      done={(data) => <SecretOnce secret={data.secret} />}
    />
  );
}
