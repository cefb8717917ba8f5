//! The document reader's adapter: the reader is a wasm module of its own
//! (`reader/`, shipped as `videoid_capture_mrz.wasm`, with its own memory and
//! no imports), and this hands it frames. It arrives with the native chunk;
//! the work is [`crate::core::document::survey`], in the module.

use js_sys::{Function, Reflect, Uint8Array, Uint8ClampedArray, WebAssembly};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::native::Zone;

/// The reader module's instance: its memory and exports.
pub struct Reader {
    memory: WebAssembly::Memory,
    frame: Function,
    survey: Function,
    fields: Function,
    fields_len: Function,
    outline: Function,
}

/// What the reader made of a frame: its zone, and the document's corners
/// (top-left, top-right, bottom-right, bottom-left, x then y, in the frame's
/// pixels) when an outline stood out.
pub struct Found {
    /// The zone.
    pub zone: Zone,
    /// The outline's corners.
    pub outline: Option<[f32; 8]>,
}

impl Reader {
    /// The reader behind `exports` (what the loader resolved to); `None` when
    /// something is missing.
    pub fn new(exports: &JsValue) -> Option<Reader> {
        let get = |name: &str| Reflect::get(exports, &name.into()).ok();
        Some(Reader {
            memory: get("memory")?.dyn_into().ok()?,
            frame: get("frame")?.dyn_into().ok()?,
            survey: get("survey")?.dyn_into().ok()?,
            fields: get("fields")?.dyn_into().ok()?,
            fields_len: get("fields_len")?.dyn_into().ok()?,
            outline: get("outline")?.dyn_into().ok()?,
        })
    }

    /// Surveys an RGBA frame (`width × height`, as a canvas gives it) as of
    /// `day` (days since 1 January 1970, local); `None` when the module fails.
    pub fn read(
        &self,
        rgba: &Uint8ClampedArray,
        width: u32,
        height: u32,
        day: i32,
    ) -> Option<Found> {
        let at = self
            .frame
            .call1(&JsValue::NULL, &rgba.length().into())
            .ok()?;
        // The module's memory may have grown: its buffer is taken afresh each time.
        let memory = Uint8Array::new(&self.memory.buffer());
        memory.set(rgba, address(&at)?);
        let code = self
            .survey
            .call3(&JsValue::NULL, &width.into(), &height.into(), &day.into())
            .ok();
        let code = address(&code?)?;
        let fields = if code & 3 == 2 {
            let at = address(&self.fields.call0(&JsValue::NULL).ok()?)?;
            let len = address(&self.fields_len.call0(&JsValue::NULL).ok()?)?;
            let memory = Uint8Array::new(&self.memory.buffer());
            String::from_utf8(memory.subarray(at, at.checked_add(len)?).to_vec()).ok()?
        } else {
            String::new()
        };
        let at = address(&self.outline.call0(&JsValue::NULL).ok()?)?;
        // Eight little-endian f32s in the module's memory (a subarray past its end is empty).
        let bytes = Uint8Array::new(&self.memory.buffer())
            .subarray(at, at.saturating_add(32))
            .to_vec();
        let outline = (at != 0 && bytes.len() == 32).then(|| {
            let mut corners = [0f32; 8];
            for (corner, b) in corners.iter_mut().zip(bytes.chunks_exact(4)) {
                *corner = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
            corners
        });
        Some(Found {
            zone: Zone::from_code(code, fields)?,
            outline,
        })
    }
}

/// A `u32` the module returned (an address, a length or a code).
fn address(value: &JsValue) -> Option<u32> {
    let n = value.as_f64()?;
    (n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0).then_some(n as u32)
}
