//! The UI's Yew components on their own, in headless Chromium: each test
//! renders core `Screen`s into a plain div, acts as a user would (click,
//! focus, keys, a picked file), flushes Yew's scheduler and reads the markup
//! and the intents that came out, as the core `Input`s the handle makes of
//! them (`Intent::input`).
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::*;
use videoid_capture::core::failure::Failure;
use videoid_capture::core::flow::{
    Action, Flow, HandoffScreen, Input, NativeScreen, Screen, State,
};
use videoid_capture::core::i18n::Lang;
use videoid_capture::core::native::{NativeInput, Phase};
use videoid_capture::ui::{announcement, Capture, CaptureProps, Intent};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, File, HtmlElement, HtmlInputElement};
use yew::{AppHandle, Callback};

wasm_bindgen_test_configure!(run_in_browser);

/// A `Capture` app in a div of the test page, recording what it sends out.
struct Mounted {
    root: Element,
    app: AppHandle<Capture>,
    props: CaptureProps,
    inputs: Rc<RefCell<Vec<Input>>>,
    files: Rc<RefCell<Vec<File>>>,
    config_reads: Rc<Cell<u32>>,
}

impl Mounted {
    async fn new(state: State, screen: Screen, attempt: u32, stage: Option<Element>) -> Mounted {
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        let inputs = Rc::new(RefCell::new(Vec::new()));
        let files = Rc::new(RefCell::new(Vec::new()));
        let config_reads = Rc::new(Cell::new(0));
        let props = CaptureProps {
            state,
            screen: Rc::new(screen),
            attempt,
            upload: 0.0,
            focus: 0,
            stage,
            on_intent: {
                let (inputs, files, reads) = (inputs.clone(), files.clone(), config_reads.clone());
                Callback::from(move |intent| match intent {
                    Intent::File(file) => files.borrow_mut().push(file),
                    intent => {
                        let config = || {
                            reads.set(reads.get() + 1);
                            Err(Failure::ConfigInvalid {
                                field: "session-endpoint",
                            })
                        };
                        inputs.borrow_mut().extend(intent.input(config));
                    }
                })
            },
        };
        let app =
            yew::Renderer::<Capture>::with_root_and_props(root.clone(), props.clone()).render();
        flush().await;
        Mounted {
            root,
            app,
            props,
            inputs,
            files,
            config_reads,
        }
    }

    /// Shows new props, as the adapter does, and lets Yew draw them.
    async fn show(&mut self, change: impl FnOnce(&mut CaptureProps)) {
        change(&mut self.props);
        self.app.update(self.props.clone());
        flush().await;
    }

    fn part(&self, part: &str) -> Option<HtmlElement> {
        self.root
            .query_selector(&format!("[part~=\"{part}\"]"))
            .unwrap()
            .and_then(|e| e.dyn_into().ok())
    }

    fn text(&self, part: &str) -> String {
        self.part(part).unwrap().text_content().unwrap_or_default()
    }

    fn hidden(&self, part: &str) -> bool {
        self.part(part).unwrap().has_attribute("hidden")
    }

    fn take_inputs(&self) -> Vec<Input> {
        std::mem::take(&mut *self.inputs.borrow_mut())
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// A native step's screen in `phase` with `actions`.
fn native_screen(phase: Phase, actions: Vec<(Action, &'static str)>, hint: &'static str) -> Screen {
    Screen {
        lang: Lang::En,
        title: "Front of your ID document".into(),
        message: String::new(),
        actions: labelled(actions),
        busy: false,
        native: Some(NativeScreen {
            step: "front",
            phase,
            hint: hint.into(),
            progress: (1, 4),
            progress_label: "Progress".into(),
            choose_file: "Choose a photo".into(),
            review_label: "Your photo".into(),
            digits: None,
        }),
        handoff: None,
        step: Some("front".into()),
    }
}

fn labelled(actions: Vec<(Action, &'static str)>) -> Vec<(Action, String)> {
    actions.into_iter().map(|(a, l)| (a, l.into())).collect()
}

/// The screen a failure shows, in English.
fn failed_screen() -> Screen {
    Screen {
        lang: Lang::En,
        title: "The verification stopped".into(),
        message: "We could not reach the server.".into(),
        actions: labelled(vec![(Action::Retry, "Try again")]),
        busy: false,
        native: None,
        handoff: None,
        step: None,
    }
}

fn live_actions() -> Vec<(Action, &'static str)> {
    vec![
        (Action::Capture, "Take photo"),
        (Action::SwitchCamera, "Switch camera"),
        (Action::Cancel, "Cancel"),
    ]
}

fn focused() -> Option<Element> {
    document().active_element()
}

#[wasm_bindgen_test]
async fn the_idle_screen_renders_and_start_sends_start_with_the_configuration_read_then() {
    let screen = Flow::new(Lang::En).screen();
    let expected_status = announcement(&screen);
    let ui = Mounted::new(State::Idle, screen, 0, None).await;
    let container = ui.part("container").unwrap();
    assert_eq!(
        container.get_attribute("data-state").as_deref(),
        Some("idle")
    );
    assert_eq!(container.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(
        container.get_attribute("aria-busy").as_deref(),
        Some("false")
    );
    assert_eq!(ui.text("title"), "Verify your identity");
    assert!(!ui.hidden("message"));
    assert_eq!(ui.text("status"), expected_status);
    for native in ["hint", "digits", "file-label", "progress"] {
        assert!(ui.hidden(native), "{native} hides outside native capture");
    }
    let start = ui.part("start-button").unwrap();
    assert_eq!(start.text_content().as_deref(), Some("Start verification"));
    assert_eq!(start.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(ui.config_reads.get(), 0, "nothing read before the click");

    start.click();
    let inputs = ui.take_inputs();
    assert!(
        matches!(
            inputs.as_slice(),
            [Input::Start(Err(Failure::ConfigInvalid {
                field: "session-endpoint"
            }))]
        ),
        "start sends Start with the configuration read at the click: {inputs:?}"
    );
    assert_eq!(ui.config_reads.get(), 1);
}

#[wasm_bindgen_test]
async fn the_container_speaks_the_screen_language_and_arabic_runs_right_to_left() {
    let mut ui = Mounted::new(State::Failed, failed_screen(), 0, None).await;
    let container = ui.part("container").unwrap();
    let lang_dir = || {
        (
            container.get_attribute("lang"),
            container.get_attribute("dir"),
        )
    };
    assert_eq!(lang_dir(), (Some("en".into()), Some("ltr".into())));
    let arabic = Screen {
        lang: Lang::Ar,
        title: "توقف التحقق".into(),
        ..failed_screen()
    };
    ui.show(|p| p.screen = Rc::new(arabic)).await;
    assert_eq!(lang_dir(), (Some("ar".into()), Some("rtl".into())));
    assert_eq!(ui.text("title"), "توقف التحقق");
    assert!(
        ui.part("container").unwrap().is_same_node(Some(&container)),
        "the same container, redrawn"
    );
    ui.show(|p| {
        p.screen = Rc::new(Screen {
            lang: Lang::De,
            ..failed_screen()
        })
    })
    .await;
    assert_eq!(lang_dir(), (Some("de".into()), Some("ltr".into())));
}

#[wasm_bindgen_test]
async fn native_buttons_send_native_inputs_for_the_screen_attempt() {
    let screen = native_screen(Phase::Live, live_actions(), "Hold still.");
    let ui = Mounted::new(State::Capturing, screen, 7, None).await;
    assert_eq!(ui.text("hint"), "Hold still.");
    assert!(!ui.hidden("hint"));
    assert_eq!(
        ui.part("hint")
            .unwrap()
            .get_attribute("aria-live")
            .as_deref(),
        Some("polite")
    );
    assert!(ui.hidden("digits"), "no digits outside the video step");
    assert!(
        ui.hidden("file-label"),
        "no file picker while the camera is live"
    );
    let progress = ui.part("progress").unwrap();
    assert!(!ui.hidden("progress"));
    assert_eq!(
        progress.get_attribute("aria-label").as_deref(),
        Some("Progress")
    );
    let (value, max) = (
        progress.get_attribute("value"),
        progress.get_attribute("max"),
    );
    let ratio = value.unwrap().parse::<f64>().unwrap() / max.unwrap().parse::<f64>().unwrap();
    assert_eq!(ratio, 0.25, "one step of four done");

    for (part, expected) in [
        ("capture-button", NativeInput::Shutter),
        ("switch-camera-button", NativeInput::SwitchCamera),
    ] {
        ui.part(part).unwrap().click();
        match ui.take_inputs().as_slice() {
            [Input::Native { attempt, input }] => {
                assert_eq!((*attempt, input), (7, &expected), "{part}")
            }
            other => panic!("{part} sent {other:?}"),
        }
    }
    ui.part("cancel-button").unwrap().click();
    assert!(matches!(ui.take_inputs().as_slice(), [Input::Cancel]));
    assert_eq!(
        ui.config_reads.get(),
        0,
        "native buttons read no configuration"
    );
}

#[wasm_bindgen_test]
async fn a_button_that_stays_keeps_focus_while_hints_and_other_buttons_change() {
    let screen = native_screen(Phase::Live, live_actions(), "Hold still.");
    let mut ui = Mounted::new(State::Capturing, screen, 1, None).await;
    let cancel = ui.part("cancel-button").unwrap();
    cancel.focus().unwrap();
    assert!(focused().is_some_and(|f| f.is_same_node(Some(&cancel))));
    // Hints change several times a second; then the step moves on to review.
    for hint in [
        "Too dark. Find more light.",
        "Hold still.",
        "Not sharp yet.",
    ] {
        ui.show(|p| p.screen = Rc::new(native_screen(Phase::Live, live_actions(), hint)))
            .await;
        assert_eq!(ui.text("hint"), hint);
    }
    let review = vec![
        (Action::Retake, "Retake"),
        (Action::Confirm, "Use this photo"),
        (Action::Cancel, "Cancel"),
    ];
    ui.show(|p| p.screen = Rc::new(native_screen(Phase::Review, review, "Check it.")))
        .await;
    assert!(ui.part("capture-button").is_none());
    assert!(ui.part("confirm-button").is_some());
    // Uploading leaves only cancel, now the first button: it moves, not a copy of it.
    ui.show(|p| {
        let cancel = vec![(Action::Cancel, "Cancel")];
        p.screen = Rc::new(native_screen(Phase::Uploading, cancel, "Sending…"));
    })
    .await;
    assert!(ui.part("confirm-button").is_none());
    let still = ui.part("cancel-button").unwrap();
    assert!(
        still.is_same_node(Some(&cancel)),
        "the cancel button is the same node"
    );
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&cancel))),
        "and keeps keyboard focus"
    );
}

#[wasm_bindgen_test]
async fn buttons_are_matched_by_action_not_by_position() {
    let screen = native_screen(Phase::Live, live_actions(), "Hold still.");
    let mut ui = Mounted::new(State::Capturing, screen, 1, None).await;
    let switch = ui.part("switch-camera-button").unwrap();
    switch.focus().unwrap();
    // The buttons after it go: matched by position, its node would turn into "Take photo".
    let fewer = vec![
        (Action::Capture, "Take photo"),
        (Action::SwitchCamera, "Switch camera"),
    ];
    ui.show(|p| p.screen = Rc::new(native_screen(Phase::Live, fewer, "Hold still.")))
        .await;
    let now = ui.part("switch-camera-button").unwrap();
    assert!(now.is_same_node(Some(&switch)));
    assert_eq!(now.text_content().as_deref(), Some("Switch camera"));
    let focus = focused().unwrap();
    assert_eq!(
        focus.get_attribute("part").as_deref(),
        Some("button switch-camera-button"),
        "focus stays on the same action"
    );
}

#[wasm_bindgen_test]
async fn a_focus_request_moves_focus_to_the_new_title() {
    let mut ui = Mounted::new(State::Idle, Flow::new(Lang::En).screen(), 0, None).await;
    let start = ui.part("start-button").unwrap();
    start.focus().unwrap();
    // A redraw without a request leaves focus where it is.
    ui.show(|p| {
        p.screen = Rc::new(Screen {
            lang: Lang::Nb,
            ..(*p.screen).clone()
        })
    })
    .await;
    assert!(focused().is_some_and(|f| f.is_same_node(Some(&start))));
    let failed = failed_screen();
    ui.show(|p| {
        p.state = State::Failed;
        p.screen = Rc::new(failed);
        p.focus += 1;
    })
    .await;
    let title = ui.part("title").unwrap();
    assert_eq!(title.get_attribute("tabindex").as_deref(), Some("-1"));
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&title))),
        "focus is on the new title"
    );
    assert_eq!(
        ui.part("container")
            .unwrap()
            .get_attribute("data-state")
            .as_deref(),
        Some("failed")
    );
}

#[wasm_bindgen_test]
async fn one_status_node_carries_every_announcement() {
    let mut ui = Mounted::new(State::Idle, Flow::new(Lang::En).screen(), 0, None).await;
    let status = ui.part("status").unwrap();
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
    let failed = failed_screen();
    let expected = announcement(&failed);
    ui.show(|p| p.screen = Rc::new(failed)).await;
    let now = ui.part("status").unwrap();
    assert!(now.is_same_node(Some(&status)), "the same region");
    assert_eq!(now.text_content().as_deref(), Some(expected.as_str()));
    assert_eq!(
        expected,
        "The verification stopped. We could not reach the server."
    );
}

#[wasm_bindgen_test]
async fn the_stage_is_placed_first_and_its_media_are_never_touched() {
    let stage = document().create_element("div").unwrap();
    stage.set_attribute("part", "stage").unwrap();
    let media = document().create_element("video").unwrap();
    stage.append_child(&media).unwrap();
    let mut ui = Mounted::new(
        State::Idle,
        Flow::new(Lang::En).screen(),
        0,
        Some(stage.clone()),
    )
    .await;
    let container = ui.part("container").unwrap();
    assert!(container
        .first_element_child()
        .is_some_and(|c| c.is_same_node(Some(&stage))));
    for hint in ["Hold still.", "Too dark."] {
        ui.show(|p| {
            p.state = State::Capturing;
            p.screen = Rc::new(native_screen(Phase::Live, live_actions(), hint));
        })
        .await;
    }
    assert!(container
        .first_element_child()
        .is_some_and(|c| c.is_same_node(Some(&stage))));
    assert_eq!(stage.child_element_count(), 1);
    assert!(media
        .parent_node()
        .is_some_and(|p| p.is_same_node(Some(&stage))));
}

#[wasm_bindgen_test]
async fn keys_and_pointers_inside_report_activity_for_the_attempt() {
    let screen = native_screen(Phase::Live, live_actions(), "Hold still.");
    let ui = Mounted::new(State::Capturing, screen, 4, None).await;
    let title = ui.part("title").unwrap();
    let init = web_sys::KeyboardEventInit::new();
    init.set_bubbles(true);
    init.set_key("Tab");
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    title.dispatch_event(&key).unwrap();
    let init = web_sys::PointerEventInit::new();
    init.set_bubbles(true);
    let pointer = web_sys::PointerEvent::new_with_event_init_dict("pointerdown", &init).unwrap();
    title.dispatch_event(&pointer).unwrap();
    let inputs = ui.take_inputs();
    assert!(
        matches!(
            inputs.as_slice(),
            [
                Input::Activity { attempt: 4 },
                Input::Activity { attempt: 4 }
            ]
        ),
        "{inputs:?}"
    );
}

#[wasm_bindgen_test]
async fn a_picked_file_goes_out_and_the_picker_can_take_it_again() {
    let screen = native_screen(
        Phase::FilePick,
        vec![(Action::Cancel, "Cancel")],
        "Choose a photo.",
    );
    let ui = Mounted::new(State::Capturing, screen, 2, None).await;
    assert!(
        !ui.hidden("file-label"),
        "the picker shows in the file step"
    );
    assert!(ui.text("file-label").contains("Choose a photo"));
    let input: HtmlInputElement = ui.part("file-input").unwrap().dyn_into().unwrap();
    assert_eq!(input.type_(), "file");
    assert_eq!(input.accept(), "image/*");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&[1u8, 2, 3][..]));
    let options = web_sys::FilePropertyBag::new();
    options.set_type("image/png");
    let file = File::new_with_u8_array_sequence_and_options(&parts, "id.png", &options).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    input.set_files(transfer.files().as_ref());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    let files = ui.files.borrow();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name(), "id.png");
    assert_eq!(input.value(), "", "the same file can be picked again");
    assert!(
        ui.take_inputs().is_empty(),
        "a file is not an input until the adapter read it"
    );
}

#[wasm_bindgen_test]
async fn the_handoff_screen_draws_the_qr_code_the_link_and_a_copy_button() {
    let url = "http://localhost:8080/videoid/handoff?t=abc";
    let code = videoid_capture::core::qr::QrCode::encode(url.as_bytes()).unwrap();
    let handoff = HandoffScreen {
        url: url.into(),
        qr_path: code.path_data(4),
        qr_side: code.size() + 8,
        help: "Scan the code. It is valid for 10 minutes.".into(),
        qr_label: "QR code with the link".into(),
        copy: "Copy link".into(),
        copied: None,
    };
    let screen = Screen {
        lang: Lang::En,
        title: "Continue on your phone".into(),
        message: "Waiting for your phone…".into(),
        actions: labelled(vec![(Action::Cancel, "Cancel")]),
        busy: false,
        native: None,
        handoff: Some(handoff.clone()),
        step: Some("handoff".into()),
    };
    let mut ui = Mounted::new(State::Capturing, screen.clone(), 3, None).await;
    let qr = ui
        .root
        .query_selector("svg[part~=\"handoff-qr\"]")
        .unwrap()
        .expect("the QR code is an svg");
    assert_eq!(
        qr.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(qr.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        qr.get_attribute("aria-label").as_deref(),
        Some("QR code with the link")
    );
    let side = code.size() + 8;
    assert_eq!(
        qr.get_attribute("viewBox"),
        Some(format!("0 0 {side} {side}"))
    );
    let paths = qr.query_selector_all("path").unwrap();
    assert_eq!(paths.length(), 1, "one path for every dark module");
    let d = paths
        .get(0)
        .and_then(|p| p.dyn_into::<Element>().ok())
        .and_then(|p| p.get_attribute("d"));
    assert_eq!(d, Some(code.path_data(4)));
    let link = ui.part("handoff-link").unwrap();
    assert_eq!(link.tag_name(), "A");
    assert_eq!(link.get_attribute("href").as_deref(), Some(url));
    assert_eq!(link.text_content().as_deref(), Some(url));
    assert_eq!(
        ui.text("handoff-help"),
        "Scan the code. It is valid for 10 minutes."
    );
    assert_eq!(
        ui.text("status"),
        "Continue on your phone. Waiting for your phone…"
    );
    assert_eq!(ui.text("handoff-copied"), "");
    let copy = ui.part("handoff-copy").unwrap();
    assert_eq!(copy.text_content().as_deref(), Some("Copy link"));
    assert!(copy.get_attribute("part").unwrap().contains("button"));
    copy.click();
    assert!(
        matches!(
            ui.take_inputs().as_slice(),
            [Input::CopyLink { attempt: 3 }]
        ),
        "the copy button asks for the link on the clipboard (its executor writes it)"
    );
    // The link copies too, and does not open: here it would use itself up.
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &{
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        init.set_cancelable(true);
        init
    })
    .unwrap();
    assert!(
        !link.dispatch_event(&click).unwrap(),
        "a click on the link is kept from opening it"
    );
    assert!(
        matches!(
            ui.take_inputs().as_slice(),
            [Input::CopyLink { attempt: 3 }]
        ),
        "a click on the link asks for the copy as the button does"
    );
    // Once the flow says so, "Copied" shows in a polite live region.
    ui.show(|p| {
        p.screen = Rc::new(Screen {
            handoff: Some(HandoffScreen {
                copied: Some("Copied".into()),
                ..handoff
            }),
            ..screen
        })
    })
    .await;
    assert_eq!(ui.text("handoff-copied"), "Copied");
    assert_eq!(
        ui.part("handoff-copied")
            .unwrap()
            .get_attribute("aria-live")
            .as_deref(),
        Some("polite")
    );
}

#[wasm_bindgen_test]
async fn the_handoff_button_sends_handoff_with_the_configuration_read_then() {
    let mut flow = Flow::new(Lang::En);
    flow.set_handoff(videoid_capture::core::config::Handoff::Auto);
    let ui = Mounted::new(State::Idle, flow.screen(), 0, None).await;
    let button = ui.part("handoff-button").unwrap();
    assert_eq!(
        button.text_content().as_deref(),
        Some("Continue on my phone")
    );
    assert!(ui.part("handoff-qr").is_none(), "no QR code before a link");
    button.click();
    let inputs = ui.take_inputs();
    assert!(
        matches!(inputs.as_slice(), [Input::Handoff(Err(_))]),
        "{inputs:?}"
    );
    assert_eq!(ui.config_reads.get(), 1);
}
