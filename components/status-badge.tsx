import { Badge, type BadgeTone } from "./ui/page";

const TONES: Record<string, BadgeTone> = {
  approved: "good",
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
