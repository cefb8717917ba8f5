//! Frame quality for auto-capture: sharpness, exposure, glare, stability and
//! how well the document fills the guide frame, computed on a small luma
//! plane. Pure Rust, allocation-free after the first frame of a given size.

/// The thresholds every check compares against; all in one place, each
/// tunable with the `quality-thresholds` attribute (`name=value …`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Minimum variance of the Laplacian inside the guide (`sharpness`).
    pub sharpness: f32,
    /// Mean luma below this is too dark (`dark`, 0–255).
    pub dark: f32,
    /// Mean luma above this is too bright (`bright`, 0–255).
    pub bright: f32,
    /// Largest share of saturated pixels inside the guide (`glare`, 0–1).
    pub glare: f32,
    /// Largest mean luma change from the previous frame (`motion`, 0–255).
    pub motion: f32,
    /// Smallest share of the frame the document must cover (`fill`, 0–1).
    pub fill: f32,
    /// Consecutive good frames before the still is taken (`frames`).
    pub frames: u32,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            sharpness: 120.0,
            dark: 55.0,
            bright: 215.0,
            glare: 0.015,
            motion: 6.0,
            fill: 0.30,
            frames: 5,
        }
    }
}

impl Thresholds {
    /// Reads `name=value` pairs over the defaults; the error names the bad pair.
    pub fn parse(text: &str) -> Result<Thresholds, String> {
        let mut t = Thresholds::default();
        for pair in text.split_whitespace() {
            let (name, value) = pair.split_once('=').ok_or_else(|| pair.to_string())?;
            let v = parse_decimal(value).ok_or_else(|| pair.to_string())?;
            match name {
                "sharpness" => t.sharpness = v,
                "dark" if v <= 255.0 => t.dark = v,
                "bright" if v <= 255.0 => t.bright = v,
                "glare" if v <= 1.0 => t.glare = v,
                "motion" if v <= 255.0 => t.motion = v,
                "fill" if v <= 1.0 => t.fill = v,
                "frames" if (1.0..=120.0).contains(&v) && v.fract() == 0.0 => t.frames = v as u32,
                _ => return Err(pair.to_string()),
            }
        }
        Ok(t)
    }
}

/// What the user should fix, most important first; `Good` when nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every check holds.
    Good,
    /// Too dark.
    TooDark,
    /// Too bright.
    TooBright,
    /// No document fills the guide: move closer.
    MoveCloser,
    /// Saturated spots on the document.
    Glare,
    /// The picture moves.
    HoldStill,
    /// Not sharp.
    Blurry,
}

impl Verdict {
    /// A short machine name, for events and upload metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::TooDark => "too-dark",
            Verdict::TooBright => "too-bright",
            Verdict::MoveCloser => "move-closer",
            Verdict::Glare => "glare",
            Verdict::HoldStill => "hold-still",
            Verdict::Blurry => "blurry",
        }
    }
}

/// The measurements of one frame and what they mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Report {
    /// Variance of the Laplacian inside the guide.
    pub sharpness: f32,
    /// Mean luma of the frame.
    pub brightness: f32,
    /// Share of saturated pixels inside the guide.
    pub glare: f32,
    /// Mean luma change from the previous frame (255 for the first frame).
    pub motion: f32,
    /// Share of the frame the document's edges enclose.
    pub fill: f32,
    /// The most important thing to fix, or `Good`.
    pub verdict: Verdict,
}

impl Report {
    /// The report as compact JSON (upload metadata, `videoid-step`).
    pub fn to_json(&self) -> String {
        format!(
            "{{\"verdict\":\"{}\",\"sharpness\":{},\"brightness\":{},\"glare\":{},\"motion\":{},\"fill\":{}}}",
            self.verdict.as_str(),
            fixed(self.sharpness, 1),
            fixed(self.brightness, 1),
            fixed(self.glare, 4),
            fixed(self.motion, 2),
            fixed(self.fill, 3)
        )
    }
}

/// `v` with `decimals` digits after the point, by integer arithmetic: the
/// float formatter of `core::fmt` would add about 20 KB to the wasm.
fn fixed(v: f32, decimals: u32) -> String {
    let scale = 10i64.pow(decimals);
    let n = (f64::from(v) * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    let (int, frac) = (n / scale as u64, n % scale as u64);
    let mut frac = frac.to_string();
    while frac.len() < decimals as usize {
        frac.insert(0, '0');
    }
    format!("{sign}{int}.{frac}")
}

/// A non-negative decimal such as `120`, `0.015` or `.5`; nothing else (no
/// exponents, signs, NaN). Hand-written for the same size reason as [`fixed`].
fn parse_decimal(text: &str) -> Option<f32> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if int.is_empty() && frac.is_empty() || int.len() > 7 || frac.len() > 7 {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value = 0f64;
    for b in int.bytes() {
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut unit = 1f64;
    for b in frac.bytes() {
        unit /= 10.0;
        value += f64::from(b - b'0') * unit;
    }
    Some(value as f32)
}

/// Which checks apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A document: every check.
    Document,
    /// A face: exposure and sharpness only.
    Face,
}

/// Width of the luma plane the checks run on.
pub const ANALYSIS_WIDTH: usize = 320;

/// Analyses frames; keeps its buffers (and the previous frame) between calls.
#[derive(Debug, Default, Clone)]
pub struct Analyzer {
    acc: Vec<u32>,
    acc_g: Vec<u32>,
    luma: Vec<u8>,
    previous: Vec<u8>,
    cols: Vec<u32>,
    rows: Vec<u32>,
    width: usize,
    height: usize,
    has_previous: bool,
}

impl Analyzer {
    /// A fresh analyzer (the next frame has no predecessor).
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Forgets the previous frame (a new step, a new camera).
    pub fn reset(&mut self) {
        self.has_previous = false;
    }

    /// Analyses an RGBA frame (`width`×`height`, 4 bytes a pixel), reading each pixel once.
    pub fn analyze_rgba(
        &mut self,
        rgba: &[u8],
        width: usize,
        height: usize,
        subject: Subject,
        t: &Thresholds,
    ) -> Option<Report> {
        if width == 0 || height == 0 || rgba.len() < width * height * 4 {
            return None;
        }
        // Box-downscale by an integer factor so the plane is at most ANALYSIS_WIDTH wide.
        let factor = width.div_ceil(ANALYSIS_WIDTH).max(1);
        let (w, h) = (width / factor, height / factor);
        // Past 16× the 16-bit lanes below could overflow: frames over 5120 px wide are refused.
        if w < 8 || h < 8 || factor > 16 {
            return None;
        }
        self.prepare(w, h);
        // One pass over the input, row by row, in memory order. Each pixel is
        // one 32-bit load split into two 16-bit lanes (R|B and G|A): a block of
        // at most 16 × 16 pixels sums to under 65 536 per lane, so the channel
        // sums need no per-pixel multiply; the BT.601 weights (77 R + 150 G +
        // 29 B) / 256 are applied once per output pixel.
        const LANES: u32 = 0x00FF_00FF;
        let divisor = (factor * factor * 256) as u32;
        let row_bytes = width * 4;
        for (out, rows) in self
            .luma
            .chunks_exact_mut(w)
            .zip(rgba.chunks_exact(row_bytes * factor))
        {
            self.acc.fill(0);
            self.acc_g.fill(0);
            for row in rows.chunks_exact(row_bytes) {
                let blocks = row.chunks_exact(4 * factor);
                for ((rb, g), block) in self.acc.iter_mut().zip(self.acc_g.iter_mut()).zip(blocks) {
                    let (mut sum_rb, mut sum_ga) = (0u32, 0u32);
                    for px in block.chunks_exact(4) {
                        let v = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
                        sum_rb += v & LANES;
                        sum_ga += (v >> 8) & LANES;
                    }
                    *rb += sum_rb;
                    *g += sum_ga;
                }
            }
            for ((o, rb), g) in out.iter_mut().zip(&self.acc).zip(&self.acc_g) {
                // The lanes were summed per row; rows add up to at most 16 × 16 × 255.
                let (r, b, g) = (rb & 0xFFFF, rb >> 16, g & 0xFFFF);
                *o = ((77 * r + 150 * g + 29 * b) / divisor) as u8;
            }
        }
        Some(self.measure(subject, t))
    }

    /// Analyses a luma plane at most [`ANALYSIS_WIDTH`] wide directly (tests and callers that have one).
    pub fn analyze_luma(
        &mut self,
        luma: &[u8],
        width: usize,
        height: usize,
        subject: Subject,
        t: &Thresholds,
    ) -> Option<Report> {
        if width < 8 || height < 8 || width > ANALYSIS_WIDTH || luma.len() < width * height {
            return None;
        }
        self.prepare(width, height);
        self.luma.copy_from_slice(&luma[..width * height]);
        Some(self.measure(subject, t))
    }

    fn prepare(&mut self, w: usize, h: usize) {
        if (w, h) != (self.width, self.height) {
            self.luma = vec![0; w * h];
            self.previous = vec![0; w * h];
            self.cols = vec![0; w];
            self.acc = vec![0; w];
            self.acc_g = vec![0; w];
            self.rows = vec![0; h];
            self.width = w;
            self.height = h;
            self.has_previous = false;
        }
    }

    fn measure(&mut self, subject: Subject, t: &Thresholds) -> Report {
        let (w, h) = (self.width, self.height);
        let l = &self.luma;
        // The guide frame the UI draws: 10% in from the sides, 12% from top and bottom.
        let (gx0, gx1) = (w / 10, w - w / 10);
        let (gy0, gy1) = (h * 12 / 100, h - h * 12 / 100);

        let total: u64 = l.iter().map(|&v| v as u64).sum();
        let brightness = total as f32 / (w * h) as f32;

        let (mut n, mut sum, mut sum_sq, mut saturated, mut diff) = (0u64, 0i64, 0i64, 0u64, 0u64);
        let (x0, x1) = (gx0.max(1), gx1.min(w - 1));
        for y in gy0.max(1)..gy1.min(h - 1) {
            // Row slices and zipped iterators: no index arithmetic, no bounds checks.
            let up = &l[(y - 1) * w + x0..(y - 1) * w + x1];
            let down = &l[(y + 1) * w + x0..(y + 1) * w + x1];
            let mid = &l[y * w + x0 - 1..y * w + x1 + 1];
            let prev = &self.previous[y * w + x0..y * w + x1];
            // A row is at most 320 pixels: lap² ≤ 1020², so u32 row sums cannot overflow.
            let (mut row_sum, mut row_sq, mut row_sat, mut row_diff) = (0i32, 0u32, 0u32, 0u32);
            for (((around, &u), &d), &p) in mid.windows(3).zip(up).zip(down).zip(prev) {
                let c = around[1] as i32;
                let lap = 4 * c - around[0] as i32 - around[2] as i32 - u as i32 - d as i32;
                row_sum += lap;
                row_sq += (lap * lap) as u32;
                row_sat += u32::from(c >= 250);
                row_diff += (c - p as i32).unsigned_abs();
            }
            sum += i64::from(row_sum);
            sum_sq += i64::from(row_sq);
            saturated += u64::from(row_sat);
            diff += u64::from(row_diff);
            n += (x1 - x0) as u64;
        }
        let n_f = n.max(1) as f64;
        let mean = sum as f64 / n_f;
        let sharpness = (sum_sq as f64 / n_f - mean * mean) as f32;
        let glare = (saturated as f64 / n_f) as f32;
        let motion = if self.has_previous {
            (diff as f64 / n_f) as f32
        } else {
            255.0
        };

        let fill = self.fill();
        std::mem::swap(&mut self.luma, &mut self.previous);
        self.has_previous = true;

        let verdict = if brightness < t.dark {
            Verdict::TooDark
        } else if brightness > t.bright {
            Verdict::TooBright
        } else if subject == Subject::Document && fill < t.fill {
            Verdict::MoveCloser
        } else if subject == Subject::Document && glare > t.glare {
            Verdict::Glare
        } else if subject == Subject::Document && motion > t.motion {
            Verdict::HoldStill
        } else if sharpness < t.sharpness {
            Verdict::Blurry
        } else {
            Verdict::Good
        };
        Report {
            sharpness,
            brightness,
            glare,
            motion,
            fill,
            verdict,
        }
    }

    /// The share of the frame inside the document's outer edges: the first and
    /// last columns and rows whose edge energy reaches a third of the strongest.
    fn fill(&mut self) -> f32 {
        let (w, h) = (self.width, self.height);
        self.cols.iter_mut().for_each(|c| *c = 0);
        self.rows.iter_mut().for_each(|r| *r = 0);
        // Differences over two pixels, so that a soft (out-of-focus) edge still
        // counts as an edge: a blurred document is "blurry", not "missing".
        for (y, row_total) in self.rows.iter_mut().enumerate().take(h - 2) {
            let row = &self.luma[y * w..(y + 1) * w];
            let right = &row[2..];
            let below = &self.luma[(y + 2) * w..(y + 3) * w];
            let mut across = 0u32;
            for (((&v, &r), &b), col) in row.iter().zip(right).zip(below).zip(self.cols.iter_mut())
            {
                let gx = (r as i32 - v as i32).unsigned_abs();
                let gy = (b as i32 - v as i32).unsigned_abs();
                // Only clear edges count; sensor noise does not.
                *col += if gx > 16 { gx } else { 0 };
                across += if gy > 16 { gy } else { 0 };
            }
            *row_total = across;
        }
        let span = |profile: &[u32]| -> Option<(usize, usize)> {
            let max = *profile.iter().max()?;
            if max == 0 {
                return None;
            }
            let limit = max / 3;
            let first = profile.iter().position(|&v| v >= limit)?;
            let last = profile.iter().rposition(|&v| v >= limit)?;
            (last > first).then_some((first, last))
        };
        match (span(&self.cols), span(&self.rows)) {
            (Some((x0, x1)), Some((y0, y1))) => ((x1 - x0) * (y1 - y0)) as f32 / (w * h) as f32,
            _ => 0.0,
        }
    }
}

/// Counts consecutive good frames; says when to capture.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Steadiness {
    good: u32,
}

impl Steadiness {
    /// Takes one verdict; true once `frames` good ones came in a row.
    pub fn observe(&mut self, verdict: Verdict, frames: u32) -> bool {
        self.good = if verdict == Verdict::Good {
            self.good + 1
        } else {
            0
        };
        self.good >= frames
    }

    /// Starts counting again.
    pub fn reset(&mut self) {
        self.good = 0;
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const W: usize = 320;
    const H: usize = 180;

    /// A mid-grey desk with a dark card and light text lines: a sharp document.
    fn document(card: (usize, usize, usize, usize), desk: u8, card_luma: u8, text: u8) -> Vec<u8> {
        let (x0, y0, x1, y1) = card;
        let mut l = vec![desk; W * H];
        for y in y0..y1 {
            for x in x0..x1 {
                l[y * W + x] = card_luma;
            }
        }
        for line in 0..6 {
            let top = y0 + (y1 - y0) * (2 + 2 * line) / 16;
            for y in top..top + 3 {
                for x in x0 + (x1 - x0) / 10..x1 - (x1 - x0) / 4 {
                    if (x / 3) % 2 == 0 {
                        l[y * W + x] = text;
                    }
                }
            }
        }
        l
    }

    fn sharp() -> Vec<u8> {
        document((32, 27, 288, 153), 110, 40, 220)
    }

    fn blur(l: &[u8], radius: usize) -> Vec<u8> {
        let mut out = l.to_vec();
        for y in radius..H - radius {
            for x in radius..W - radius {
                let mut s = 0u32;
                for dy in 0..=2 * radius {
                    for dx in 0..=2 * radius {
                        s += l[(y + dy - radius) * W + x + dx - radius] as u32;
                    }
                }
                out[y * W + x] = (s / ((2 * radius + 1) * (2 * radius + 1)) as u32) as u8;
            }
        }
        out
    }

    fn verdict_after_two(l: &[u8], subject: Subject) -> Report {
        let mut a = Analyzer::new();
        let t = Thresholds::default();
        a.analyze_luma(l, W, H, subject, &t).unwrap();
        a.analyze_luma(l, W, H, subject, &t).unwrap()
    }

    #[test]
    fn a_sharp_still_document_is_good() {
        let r = verdict_after_two(&sharp(), Subject::Document);
        assert_eq!(r.verdict, Verdict::Good, "{r:?}");
        assert!(r.fill > 0.5 && r.fill < 0.75, "{r:?}");
        assert_eq!(r.motion, 0.0);
    }

    #[test]
    fn the_first_frame_is_never_still() {
        let mut a = Analyzer::new();
        let r = a
            .analyze_luma(&sharp(), W, H, Subject::Document, &Thresholds::default())
            .unwrap();
        assert_eq!(r.verdict, Verdict::HoldStill);
    }

    #[test]
    fn blur_is_measured_and_named() {
        let sharp = verdict_after_two(&sharp(), Subject::Document).sharpness;
        let soft = verdict_after_two(&blur(&sharp_doc(), 2), Subject::Document);
        assert!(
            soft.sharpness < sharp / 4.0,
            "{sharp} vs {}",
            soft.sharpness
        );
        assert_eq!(soft.verdict, Verdict::Blurry, "{soft:?}");
    }

    fn sharp_doc() -> Vec<u8> {
        sharp()
    }

    #[test]
    fn exposure_is_checked_first() {
        let dark: Vec<u8> = sharp().iter().map(|v| v / 5).collect();
        assert_eq!(
            verdict_after_two(&dark, Subject::Document).verdict,
            Verdict::TooDark
        );
        let bright: Vec<u8> = sharp().iter().map(|v| v / 8 + 225).collect();
        assert_eq!(
            verdict_after_two(&bright, Subject::Document).verdict,
            Verdict::TooBright
        );
    }

    #[test]
    fn glare_spots_on_the_document_are_found() {
        let mut l = sharp();
        for y in 60..80 {
            for x in 100..140 {
                l[y * W + x] = 255;
            }
        }
        assert_eq!(
            verdict_after_two(&l, Subject::Document).verdict,
            Verdict::Glare
        );
    }

    #[test]
    fn a_small_document_asks_to_move_closer() {
        let small = document((130, 70, 190, 110), 110, 40, 220);
        let r = verdict_after_two(&small, Subject::Document);
        assert_eq!(r.verdict, Verdict::MoveCloser, "{r:?}");
        let empty = vec![110u8; W * H];
        assert_eq!(
            verdict_after_two(&empty, Subject::Document).verdict,
            Verdict::MoveCloser
        );
    }

    #[test]
    fn motion_between_frames_means_hold_still() {
        let mut a = Analyzer::new();
        let t = Thresholds::default();
        a.analyze_luma(&sharp(), W, H, Subject::Document, &t);
        let moved = document((52, 37, 308, 163), 110, 40, 220);
        let r = a.analyze_luma(&moved, W, H, Subject::Document, &t).unwrap();
        assert_eq!(r.verdict, Verdict::HoldStill, "{r:?}");
    }

    #[test]
    fn faces_skip_the_document_checks() {
        let empty_but_sharp: Vec<u8> = (0..W * H)
            .map(|i| if (i / 2) % 2 == 0 { 60 } else { 160 })
            .collect();
        let r = verdict_after_two(&empty_but_sharp, Subject::Face);
        assert_eq!(r.verdict, Verdict::Good, "{r:?}");
    }

    #[test]
    fn rgba_frames_are_downscaled_to_the_same_answer() {
        // A 1280×720 RGBA frame made of the 320×180 document, 4× in each direction.
        let l = sharp();
        let mut rgba = vec![0u8; 1280 * 720 * 4];
        for y in 0..720 {
            for x in 0..1280 {
                let v = l[(y / 4) * W + x / 4];
                rgba[(y * 1280 + x) * 4..][..4].copy_from_slice(&[v, v, v, 255]);
            }
        }
        let mut a = Analyzer::new();
        let t = Thresholds::default();
        a.analyze_rgba(&rgba, 1280, 720, Subject::Document, &t)
            .unwrap();
        let r = a
            .analyze_rgba(&rgba, 1280, 720, Subject::Document, &t)
            .unwrap();
        assert_eq!(r.verdict, Verdict::Good, "{r:?}");
        assert!(
            a.analyze_rgba(&rgba[..100], 1280, 720, Subject::Document, &t)
                .is_none(),
            "short buffers are refused"
        );
    }

    #[test]
    fn steadiness_needs_consecutive_good_frames() {
        let mut s = Steadiness::default();
        assert!(!s.observe(Verdict::Good, 3));
        assert!(!s.observe(Verdict::Good, 3));
        assert!(!s.observe(Verdict::Blurry, 3));
        assert!(!s.observe(Verdict::Good, 3));
        assert!(!s.observe(Verdict::Good, 3));
        assert!(s.observe(Verdict::Good, 3));
    }

    #[test]
    fn thresholds_parse_and_refuse_nonsense() {
        let t = Thresholds::parse("sharpness=80 frames=3 glare=0.05").unwrap();
        assert_eq!((t.sharpness, t.frames, t.glare), (80.0, 3, 0.05));
        assert_eq!(t.dark, Thresholds::default().dark);
        for bad in [
            "sharpness",
            "frames=0",
            "frames=2.5",
            "glare=2",
            "dark=-1",
            "speed=3",
            "fill=NaN",
        ] {
            assert!(Thresholds::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fixed_point_and_decimal_helpers_round_trip() {
        assert_eq!(fixed(5193.46, 1), "5193.5");
        assert_eq!(fixed(0.015, 4), "0.0150");
        assert_eq!(fixed(0.0, 2), "0.00");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(parse_decimal("120"), Some(120.0));
        assert_eq!(parse_decimal(".5"), Some(0.5));
        assert_eq!(parse_decimal("0.015"), Some(0.015));
        for bad in ["", ".", "1e3", "-1", "1.2.3", "NaN", "12345678"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn reports_serialise_as_json() {
        let r = verdict_after_two(&sharp(), Subject::Document);
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["verdict"], "good");
        assert!(json["sharpness"].as_f64().unwrap() > 0.0);
    }
}
