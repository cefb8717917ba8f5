import { Return } from "./return";

export const metadata = { title: "Returning…" };

// Where the hosted capture ends (the backend's `redirectUrl`, on this origin).
export default function Page() {
  return <Return />;
}
