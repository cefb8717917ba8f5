// The DOM typings alone (what Angular and plain TypeScript see).
import "videoid-capture";
import type { VideoIdTexts } from "videoid-capture";

const el = document.createElement("videoid-capture");
el.texts = { start: "Verify" };
el.lang = "ar";
el.resultWait = 30;
el.addEventListener("videoid-result", (e) => (e.detail.final ? e.detail.process.status : e.detail.status));
// @ts-expect-error: a result that is not final may come without a process
el.addEventListener("videoid-result", (e) => e.detail.process.status);
const texts: VideoIdTexts | null = el.texts;
// @ts-expect-error: not a text key
el.texts = { strat: "typo" };
// @ts-expect-error: not a mode
el.mode = "bogus";
export { texts };
