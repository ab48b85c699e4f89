import { StatsScreen } from "@/components/stats-screen";

export const dynamic = "force-dynamic";

export default function StatsPage() {
  return <StatsScreen />;
}
