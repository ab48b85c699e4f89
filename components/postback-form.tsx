"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useRef, useState, useTransition } from "react";
import { createPostbackAction, dryRunPostbackAction, testPostbackAction, updatePostbackAction } from "@/app/(workspace)/postbacks/actions";
import type { ActionError, ActionResult } from "@/lib/access/action";
import type { MatchedConversion } from "@/lib/outgoing/postback-config";
import type { PostbackScopeOption } from "@/lib/outgoing/postbacks";
import { type BraceProblem, findBraceProblem, findUnknownMacros, renderTemplate, SAMPLE_MACRO_VALUES } from "@/lib/tracking/macros";
import { DryRunPanel } from "./dry-run-panel";
import { LocalTime } from "./local-time";
import { MacroPalette } from "./macro-palette";
import { useStatusWord } from "./status-words";
import { FieldError } from "./ui/field-error";
import { buttonClass, inputClass, labelClass } from "./ui/styles";

export type PostbackFormValues = {
  id?: string;
  name: string;
  scope: string;
  offerId: string;
  campaignId: string;
  merchantId: string;
  statuses: string[];
  /** Goal keys, comma-separated; empty: every goal. */
  goals: string;
  method: "GET" | "POST";
  bodyFormat: "none" | "form" | "json";
  urlTemplate: string;
  bodyTemplate: string;
  headers: string;
  enabled: boolean;
  hasSigningSecret: boolean;
};

export type Choice = { id: string; name: string };

type TestAnswer = Awaited<ReturnType<typeof testPostbackAction>>;
type DryRunAnswer = Awaited<ReturnType<typeof dryRunPostbackAction>>;

// The checkboxes' labels; the form names each status in full ("Lead (pending)"), unlike the short status words.
const STATUS_LABELS = { lead: "statuses.lead", approved: "statuses.approved", rejected: "statuses.rejected", hold: "statuses.hold" } as const;
const SCOPE_LABELS = {
  all: "scopes.all",
  offer: "scopes.offer",
  campaign: "scopes.campaign",
  offerToMerchant: "scopes.offerToMerchant",
  merchantOffers: "scopes.merchantOffers",
} as const satisfies Record<PostbackScopeOption["label"], string>;

export function PostbackForm(props: {
  initial: PostbackFormValues;
  scopes: PostbackScopeOption[];
  offers: Choice[];
  campaigns: Choice[];
  merchants: Choice[];
  listPath: string;
  /** The latest conversion event the postback, as saved (or as the form starts), would be sent. */
  latestConversion: MatchedConversion | null;
}) {
  const { initial, scopes, offers, campaigns, merchants, listPath, latestConversion } = props;
  const statusLabel = useStatusWord();
  const router = useRouter();
  const t = useTranslations("postbackForm");
  // The same words the server refuses a template with (the errors catalogue).
  const sayProblem = useTranslations("errors.template");
  const formRef = useRef<HTMLFormElement>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [activeField, setActiveField] = useState<"url" | "body">("url");
  const [scope, setScope] = useState(initial.scope);
  const [method, setMethod] = useState(initial.method);
  const [bodyFormat, setBodyFormat] = useState(initial.bodyFormat === "none" ? "form" : initial.bodyFormat);
  const [url, setUrl] = useState(initial.urlTemplate);
  const [body, setBody] = useState(initial.bodyTemplate);
  const [testAnswer, setTestAnswer] = useState<TestAnswer | null>(null);
  const [testWith, setTestWith] = useState<"sample" | "latest">("sample");
  const [testing, startTest] = useTransition();
  // Field errors come from whichever button was pressed last.
  const [lastPressed, setLastPressed] = useState<"save" | "test" | "dry-run">("save");
  const [dryRun, setDryRun] = useState<DryRunAnswer | null>(null);
  const [previewing, startDryRun] = useTransition();

  const [state, setState] = useState<ActionResult<{ id: string }> | null>(null);
  const [saving, startSave] = useTransition();
  // onSubmit rather than a form action: React resets a form after its action runs, which would
  // wipe what the person typed whenever the save is refused.
  function save(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startSave(async () => {
      setLastPressed("save");
      const result = initial.id ? await updatePostbackAction(form) : await createPostbackAction(form);
      setState(result);
      if (result.ok) router.push(listPath);
    });
  }
  const saveError = state && !state.ok ? state.error : null;
  const testError = testAnswer && !testAnswer.ok ? testAnswer.error : null;
  const dryRunError = dryRun && !dryRun.ok ? dryRun.error : null;
  const error = lastPressed === "test" ? testError : lastPressed === "dry-run" ? dryRunError : saveError;

  function insert(macro: string) {
    const target = activeField === "body" && method === "POST" ? bodyRef.current : urlRef.current;
    if (!target) return;
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? start;
    const next = target.value.slice(0, start) + macro + target.value.slice(end);
    (target === bodyRef.current ? setBody : setUrl)(next);
    requestAnimationFrame(() => {
      target.focus();
      target.setSelectionRange(start + macro.length, start + macro.length);
    });
  }

  const unknown = [...findUnknownMacros(url), ...(method === "POST" ? findUnknownMacros(body) : [])];
  const previewUrl = renderTemplate(url, SAMPLE_MACRO_VALUES, "url");
  const previewBody = method === "POST" ? renderTemplate(body, SAMPLE_MACRO_VALUES, bodyFormat === "json" ? "json" : "url") : null;
  // A brace that opens or closes no macro would go out as literal text: the preview shows where it is.
  const urlBrace = findBraceProblem(url, "url");
  const bodyBrace = method === "POST" ? findBraceProblem(body, bodyFormat === "json" ? "text" : "url") : null;
  const braceProblem = (problem: BraceProblem) => sayProblem("brace", { header: "none", kind: problem.kind, text: problem.text, position: problem.index + 1 });

  return (
    <form ref={formRef} onSubmit={save} className="space-y-6" noValidate>
      {initial.id ? <input type="hidden" name="id" value={initial.id} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="pb-name" className={labelClass}>{t("name")}</label>
          <input id="pb-name" name="name" defaultValue={initial.name} className={inputClass} placeholder={t("namePlaceholder")} />
          <FieldError error={error} field="name" />
        </div>
        <div>
          <label htmlFor="pb-enabled" className={labelClass}>{t("state")}</label>
          <select id="pb-enabled" name="enabled" defaultValue={String(initial.enabled)} className={inputClass}>
            <option value="true">{t("enabled")}</option>
            <option value="false">{t("paused")}</option>
          </select>
        </div>
      </div>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="pb-scope" className={labelClass}>{t("sendFor")}</label>
          <select id="pb-scope" name="scope" value={scope} onChange={(e) => setScope(e.target.value)} className={inputClass}>
            {scopes.map((s) => (
              <option key={s.value} value={s.value}>{t(SCOPE_LABELS[s.label])}</option>
            ))}
          </select>
          <FieldError error={error} field="scope" />
        </div>
        {scope === "offer" ? (
          <ChoiceSelect id="pb-offer" name="offerId" label={t("offer")} choices={offers} initial={initial.offerId} error={error} empty={t("noOffers")} />
        ) : scope === "campaign" ? (
          <ChoiceSelect id="pb-campaign" name="campaignId" label={t("campaign")} choices={campaigns} initial={initial.campaignId} error={error} empty={t("noCampaigns")} />
        ) : scope === "merchant" ? (
          <ChoiceSelect id="pb-merchant" name="merchantId" label={t("merchant")} choices={merchants} initial={initial.merchantId} error={error} empty={t("noMerchants")} />
        ) : null}
      </fieldset>

      <fieldset>
        <legend className={labelClass}>{t("statusesLegend")}</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <label key={value} className="inline-flex items-center gap-2 text-sm">
              <input type="checkbox" name="statuses" value={value} defaultChecked={initial.statuses.includes(value)} className="h-4 w-4 rounded border-slate-300" />
              {t(label)}
            </label>
          ))}
        </div>
        <FieldError error={error} field="statuses" />
      </fieldset>

      <div>
        <label htmlFor="pb-goals" className={labelClass}>{t("goals")}</label>
        <input id="pb-goals" name="goals" defaultValue={initial.goals} placeholder="deposit, sale" className={inputClass} aria-describedby="pb-goals-hint" />
        <p id="pb-goals-hint" className="mt-1 text-xs text-slate-500">{t("goalsHint")}</p>
        <FieldError error={error} field="goals" />
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="pb-method" className={labelClass}>{t("method")}</label>
          <select id="pb-method" name="method" value={method} onChange={(e) => setMethod(e.target.value as "GET" | "POST")} className={inputClass}>
            <option value="GET">{t("methodGet")}</option>
            <option value="POST">{t("methodPost")}</option>
          </select>
        </div>
        {method === "POST" ? (
          <div>
            <label htmlFor="pb-body-format" className={labelClass}>{t("bodyFormat")}</label>
            <select id="pb-body-format" name="bodyFormat" value={bodyFormat} onChange={(e) => setBodyFormat(e.target.value as "form" | "json")} className={inputClass}>
              <option value="form">{t("bodyForm")}</option>
              <option value="json">{t("bodyJson")}</option>
            </select>
          </div>
        ) : null}
      </div>

      <div className="space-y-3">
        <div>
          <label htmlFor="pb-url" className={labelClass}>{t("url")}</label>
          <input
            id="pb-url"
            ref={urlRef}
            name="urlTemplate"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            onFocus={() => setActiveField("url")}
            className={`${inputClass} font-mono`}
            placeholder="https://tracker.example.com/postback?subid={aff_click_id}&status={status}&payout={payout}"
            spellCheck={false}
          />
          <FieldError error={error} field="urlTemplate" />
        </div>
        {method === "POST" ? (
          <div>
            <label htmlFor="pb-body" className={labelClass}>{t("body")}</label>
            <textarea
              id="pb-body"
              ref={bodyRef}
              name="bodyTemplate"
              value={body}
              onChange={(e) => setBody(e.target.value)}
              onFocus={() => setActiveField("body")}
              rows={4}
              className={`${inputClass} font-mono`}
              placeholder={bodyFormat === "json" ? '{"clickid": "{aff_click_id}", "status": "{status}", "payout": {payout}}' : "clickid={aff_click_id}&status={status}"}
              spellCheck={false}
            />
            <FieldError error={error} field="bodyTemplate" />
          </div>
        ) : null}
        <MacroPalette onInsert={insert} />
        {unknown.length > 0 ? (
          <ul data-testid="unknown-macros" className="space-y-1 rounded-md bg-amber-50 p-3 text-sm text-amber-800">
            {unknown.map((u) => (
              <li key={u.macro}>
                {u.suggestion
                  ? t.rich("unknownMacroSuggestion", { macro: `{${u.macro}}`, suggestion: `{${u.suggestion}}`, code: (chunks) => <code>{chunks}</code> })
                  : t.rich("unknownMacro", { macro: `{${u.macro}}`, code: (chunks) => <code>{chunks}</code> })}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="rounded-md border border-slate-200 bg-white p-3">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("preview")}</p>
          {urlBrace ? (
            <MarkedTemplate testId="preview-url" prefix={`${method} `} template={url} problem={urlBrace} where={t("problemInUrl", { problem: braceProblem(urlBrace) })} />
          ) : (
            <code data-testid="preview-url" className="mt-1 block break-all text-xs">{method} {previewUrl || "—"}</code>
          )}
          {previewBody === null ? null : bodyBrace ? (
            <MarkedTemplate testId="preview-body" template={body} problem={bodyBrace} where={t("problemInBody", { problem: braceProblem(bodyBrace) })} />
          ) : (
            <code data-testid="preview-body" className="mt-1 block whitespace-pre-wrap break-all text-xs text-slate-600">{previewBody}</code>
          )}
        </div>
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="pb-headers" className={labelClass}>{t("headers")}</label>
          <textarea id="pb-headers" name="headers" defaultValue={initial.headers} rows={2} className={`${inputClass} font-mono`} spellCheck={false} />
          <FieldError error={error} field="headers" />
        </div>
        <div>
          <label htmlFor="pb-secret" className={labelClass}>{t("secret")}</label>
          <input id="pb-secret" name="signingSecret" type="password" autoComplete="off" className={inputClass} placeholder={initial.hasSigningSecret ? t("secretSaved") : t("secretPlaceholder")} />
        </div>
      </div>

      <fieldset>
        <legend className={labelClass}>{t("testLegend")}</legend>
        <div className="mt-2 space-y-1 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="testWith" value="sample" checked={testWith === "sample"} onChange={() => setTestWith("sample")} />
            {t("testSample")}
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="testWith" value="latest" checked={testWith === "latest"} onChange={() => setTestWith("latest")} disabled={!latestConversion} />
            {latestConversion ? (
              <span>
                {t.rich("testLatest", {
                  id: latestConversion.conversionId,
                  status: statusLabel(latestConversion.status),
                  code: (chunks) => <code className="text-xs">{chunks}</code>,
                  time: () => <LocalTime iso={latestConversion.at} />,
                })}
              </span>
            ) : (
              <span className="text-slate-500">{t("testLatestNone")}</span>
            )}
          </label>
        </div>
        <FieldError error={error} field="testWith" />
      </fieldset>

      <FieldError error={error} field="" fallback />
      <div className="flex flex-wrap gap-3">
        <button type="submit" disabled={saving} className={buttonClass("primary")}>
          {saving ? t("saving") : t("save")}
        </button>
        <button
          type="button"
          disabled={testing}
          className={buttonClass("secondary")}
          onClick={() =>
            startTest(async () => {
              setLastPressed("test");
              setTestAnswer(await testPostbackAction(new FormData(formRef.current!)));
            })
          }
        >
          {testing ? t("testing") : testWith === "latest" ? t("testLatestButton") : t("testSampleButton")}
        </button>
        <button
          type="button"
          disabled={previewing}
          className={buttonClass("secondary")}
          onClick={() =>
            startDryRun(async () => {
              setLastPressed("dry-run");
              setDryRun(await dryRunPostbackAction(new FormData(formRef.current!)));
            })
          }
        >
          {previewing ? t("rendering") : t("dryRunButton")}
        </button>
      </div>
      {testAnswer?.ok ? <TestPanel answer={testAnswer.data} statusLabel={statusLabel} /> : null}
      {dryRun?.ok ? <DryRunPanel rows={dryRun.data} /> : null}
    </form>
  );
}

function ChoiceSelect(props: { id: string; name: string; label: string; choices: Choice[]; initial: string; error: ActionError | null; empty: string }) {
  return (
    <div>
      <label htmlFor={props.id} className={labelClass}>{props.label}</label>
      {props.choices.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">{props.empty}</p>
      ) : (
        <select id={props.id} name={props.name} defaultValue={props.initial} className={inputClass}>
          {props.choices.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </select>
      )}
      <FieldError error={props.error} field={props.name} />
    </div>
  );
}

/** A template with a brace problem, the brace marked, in place of a preview that would carry it as text; `where` says the problem and where it is. */
function MarkedTemplate({ testId, prefix = "", template, problem, where }: { testId: string; prefix?: string; template: string; problem: BraceProblem; where: string }) {
  return (
    <div className="mt-1 space-y-1">
      <code data-testid={testId} className="block whitespace-pre-wrap break-all text-xs">
        {prefix}
        {template.slice(0, problem.index)}
        <mark data-testid={`${testId}-mark`} className="rounded-sm bg-red-200 px-0.5 text-red-900">{template[problem.index]}</mark>
        {template.slice(problem.index + 1)}
      </code>
      <p data-testid={`${testId}-problem`} className="text-xs text-red-700">{where}</p>
    </div>
  );
}

function TestPanel({ answer, statusLabel }: { answer: Extract<TestAnswer, { ok: true }>["data"]; statusLabel: (status: string) => string }) {
  const t = useTranslations("postbackForm");
  const { request, response, sample, conversion } = answer;
  return (
    <section data-testid="test-result" aria-live="polite" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <p className="font-medium">
        {response.ok ? t("testAccepted") : t("testFailed")}{" "}
        <span className="text-slate-500">
          {sample || !conversion
            ? t("testWithSample", { ms: response.durationMs })
            : t.rich("testWithConversion", {
                id: conversion.conversionId,
                status: statusLabel(conversion.status),
                ms: response.durationMs,
                code: (chunks) => <code className="text-xs">{chunks}</code>,
                time: () => <LocalTime iso={conversion.at} />,
              })}
        </span>
      </p>
      <div>
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("request")}</p>
        <code className="block break-all text-xs">{request.method} {request.url}</code>
        {request.body ? <code className="mt-1 block whitespace-pre-wrap break-all text-xs text-slate-600">{request.body}</code> : null}
      </div>
      <div>
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("response")}</p>
        <p className={response.ok ? "text-emerald-700" : "text-red-700"}>{response.status ? `HTTP ${response.status}` : response.error}</p>
        {response.body ? <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{response.body}</pre> : null}
      </div>
    </section>
  );
}
