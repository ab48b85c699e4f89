import { TimelineScreen } from "@/app/(workspace)/_screens/timeline-screen";

export default async function ConversionTimelinePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TimelineScreen id={id} />;
}
