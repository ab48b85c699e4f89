import { PostbackEditScreen } from "@/app/(workspace)/_screens/postback-screens";

export default async function EditPostbackPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PostbackEditScreen id={id} />;
}
