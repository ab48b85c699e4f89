import { DemoReceiverScreen } from "@/app/(workspace)/_screens/demo-receiver-screen";

export const dynamic = "force-dynamic";

export default function DemoReceiverPage() {
  return <DemoReceiverScreen />;
}
