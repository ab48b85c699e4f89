import { Badge, type BadgeTone } from "./ui/page";

const TONES: Record<string, BadgeTone> = {
  approved: "good",
  accepted: "good",
  delivered: "good",
  ok: "good",
  duplicate: "neutral",
  ignored: "warn",
  failed: "bad",
  cancelled: "neutral",
  active: "good",
  enabled: "good",
  pending: "warn",
  lead: "info",
  hold: "warn",
  paused: "warn",
  rejected: "bad",
  disabled: "bad",
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{status}</Badge>;
}
