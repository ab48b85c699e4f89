import { StatsScreen } from "@/app/(workspace)/_screens/stats-screen";

export const dynamic = "force-dynamic";

export default async function StatsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <StatsScreen searchParams={await searchParams} />;
}
