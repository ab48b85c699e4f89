import { StatsScreen } from "@/app/(workspace)/_screens/stats-screen";

export const dynamic = "force-dynamic";

export default function StatsPage() {
  return <StatsScreen />;
}
