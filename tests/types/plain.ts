// The DOM typings alone (what Angular and plain TypeScript see).
import "videoid-capture";
import type { VideoIdTexts } from "videoid-capture";

const el = document.createElement("videoid-capture");
el.texts = { start: "Verify" };
el.lang = "ar";
el.addEventListener("videoid-result", (e) => e.detail.process.status);
const texts: VideoIdTexts | null = el.texts;
// @ts-expect-error: not a text key
el.texts = { strat: "typo" };
// @ts-expect-error: not a mode
el.mode = "bogus";
export { texts };
