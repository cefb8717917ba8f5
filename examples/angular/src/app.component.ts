import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, signal, viewChild } from "@angular/core";
import "videoid-capture";
import type { Failure, VideoIdCaptureElement, VideoIdCaptureState, VideoIdResultDetail } from "videoid-capture";

// Against the repository's demo backend and Assure simulator: `?scenario=` and
// `?auto=` go to the session endpoint, `?mode=` and `?lang=` to the element, and
// `?capture-origin=` allows the simulator's capture page (Signicat's own hosts
// are allowed by default).
const query = new URLSearchParams(window.location.search);
const knobs = new URLSearchParams([...query].filter(([k]) => k === "scenario" || k === "auto"));

@Component({
  selector: "app-root",
  // Angular accepts the tag; the bindings below are still type-checked (strictTemplates).
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>Verify your identity</h1>
      <videoid-capture
        #capture
        [attr.session-endpoint]="session"
        result-endpoint="/api/videoid/result"
        [attr.mode]="mode"
        [attr.lang]="lang"
        [attr.allowed-origins]="captureOrigin"
        (videoid-state)="onState($event)"
        (videoid-result)="onResult($event)"
        (videoid-failed)="onFailed($event)"
      ></videoid-capture>
      <p>
        <button type="button" id="start" (click)="start()">Start from the app</button>
        State: <output id="state">{{ state() }}</output>
      </p>
      @if (result(); as r) {
        <p id="result">Status: <strong id="status">{{ r.status }}</strong></p>
      }
      @if (failure(); as f) {
        <p id="failure" role="alert">{{ f.code }}: {{ f.message }}</p>
      }
    </main>
  `,
})
export class AppComponent {
  readonly session = `/api/videoid/session${knobs.size ? `?${knobs}` : ""}`;
  readonly mode = query.get("mode") === "native" ? "native" : "embed";
  readonly lang = query.get("lang");
  readonly captureOrigin = query.get("capture-origin");
  readonly capture = viewChild.required<ElementRef<VideoIdCaptureElement>>("capture");
  readonly state = signal<VideoIdCaptureState>("idle");
  readonly result = signal<VideoIdResultDetail | null>(null);
  readonly failure = signal<Failure | null>(null);

  start(): void {
    // The promise settles with the result; the events say the same.
    this.capture().nativeElement.start().catch(() => {});
  }

  onState(event: Event): void {
    this.state.set((event as CustomEvent<{ state: VideoIdCaptureState }>).detail.state);
  }

  onResult(event: Event): void {
    this.result.set((event as CustomEvent<VideoIdResultDetail>).detail);
  }

  onFailed(event: Event): void {
    this.failure.set((event as CustomEvent<Failure>).detail);
  }
}
