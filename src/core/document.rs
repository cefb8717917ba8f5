//! Finds an identity document's outline in a camera frame and straightens it:
//! the four corners of the card or passport page, and the page cut out and
//! perspective-corrected to a rectangle of its format's proportions.
//!
//! - **Edges.** The frame is averaged down to 320 pixels wide; Sobel gradients
//!   whose strength stands out from the frame's are the edge points.
//! - **Lines.** A Hough transform of those points, each voting only near its
//!   own gradient's direction, weighted by its strength; the strongest peaks,
//!   apart from each other, are the candidate sides.
//! - **Outline.** Two sides near the horizontal and two near the vertical, far
//!   enough apart, whose quadrilateral has an ID-1 card's or an ID-3 passport
//!   page's proportions (allowing for a tilted camera): the pair with the most
//!   votes. Its corners are the sides' intersections.
//! - **Straightening.** The homography from the outline to an upright
//!   rectangle, and the frame sampled through it (bilinear).
//!
//! A document against a background of about its own brightness has no edges
//! to find: then there is no outline, and the caller keeps its full frame.

use super::ocrb::Gray;

/// A point in the frame's pixels.
pub type Point = (f32, f32);

/// The formats an outline may have (ICAO 9303 sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// 85.60 × 53.98 mm: identity cards, driving licences.
    Id1,
    /// 125 × 88 mm: a passport's data page.
    Id3,
}

impl Shape {
    /// Width over height.
    pub fn aspect(self) -> f32 {
        match self {
            Shape::Id1 => 85.60 / 53.98,
            Shape::Id3 => 125.0 / 88.0,
        }
    }
}

/// A document found in a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outline {
    /// Top-left, top-right, bottom-right, bottom-left, in the frame's pixels.
    pub corners: [Point; 4],
    /// The format its proportions are closest to: a guess, since a camera at
    /// an angle changes them (an ID-1 card and an ID-3 page differ by 11%);
    /// straighten with the format the session asked for where it is known.
    pub shape: Shape,
}

/// The working width edges are found at.
const WORK_W: usize = 320;

/// A side candidate: the line `x·cos θ + y·sin θ = ρ` (work pixels), and its votes.
#[derive(Debug, Clone, Copy)]
struct Side {
    theta: f32,
    rho: f32,
    votes: f32,
}

/// Finds the document in `image`, or `None` when no plausible outline stands out.
pub fn locate(image: &Gray) -> Option<Outline> {
    let (w, h) = (image.width(), image.height());
    let f = (w as f32 / WORK_W as f32).max(1.0);
    let (sw, sh) = ((w as f32 / f) as usize, (h as f32 / f) as usize);
    if sw < 32 || sh < 32 {
        return None;
    }
    let small = shrink(image, sw, sh, f);
    let sides = sides(&small, sw, sh);
    let (horizontal, vertical): (Vec<Side>, Vec<Side>) = sides
        .into_iter()
        .partition(|s| (s.theta - 90.0).abs() < 30.0);
    let mut best: Option<(f32, [Point; 4], Shape)> = None;
    for (i, a) in horizontal.iter().enumerate() {
        for b in &horizontal[i + 1..] {
            for (j, c) in vertical.iter().enumerate() {
                for d in &vertical[j + 1..] {
                    let (top, bottom) = if a.rho < b.rho { (a, b) } else { (b, a) };
                    let (left, right) = if signed_x(c, sh) < signed_x(d, sh) {
                        (c, d)
                    } else {
                        (d, c)
                    };
                    let Some(quad) = corners(top, right, bottom, left) else {
                        continue;
                    };
                    let Some(shape) = plausible(&quad, sw, sh) else {
                        continue;
                    };
                    let votes = a.votes + b.votes + c.votes + d.votes;
                    if best.as_ref().is_none_or(|(v, _, _)| votes > *v) {
                        best = Some((votes, quad, shape));
                    }
                }
            }
        }
    }
    let (_, quad, shape) = best?;
    let scale = |(x, y): Point| (x * f, y * f);
    Some(Outline {
        corners: quad.map(scale),
        shape,
    })
}

/// Where a near-vertical side crosses the middle row: which is left, which right.
fn signed_x(side: &Side, sh: usize) -> f32 {
    let (sin, cos) = side.theta.to_radians().sin_cos();
    let y = sh as f32 / 2.0;
    if cos.abs() < 1e-3 {
        return f32::MAX;
    }
    (side.rho - y * sin) / cos
}

/// The image averaged down by `f` to `sw × sh`.
fn shrink(image: &Gray, sw: usize, sh: usize, f: f32) -> Vec<f32> {
    let (w, px) = (image.width(), image.pixels());
    let mut out = vec![0f32; sw * sh];
    for (y, row) in out.chunks_mut(sw).enumerate() {
        let (y0, y1) = (
            (y as f32 * f) as usize,
            (((y + 1) as f32 * f) as usize).max((y as f32 * f) as usize + 1),
        );
        for (x, v) in row.iter_mut().enumerate() {
            let (x0, x1) = (
                (x as f32 * f) as usize,
                (((x + 1) as f32 * f) as usize).max((x as f32 * f) as usize + 1),
            );
            let mut sum = 0u32;
            let mut n = 0u32;
            for yy in y0..y1.min(image.height()) {
                for xx in x0..x1.min(w) {
                    sum += u32::from(px[yy * w + xx]);
                    n += 1;
                }
            }
            *v = sum as f32 / n.max(1) as f32;
        }
    }
    out
}

/// The strongest straight sides in the shrunk image: Hough peaks, at least 8°
/// or 8 pixels from a stronger one.
fn sides(small: &[f32], sw: usize, sh: usize) -> Vec<Side> {
    // Sobel gradients.
    let mut grads: Vec<(usize, usize, f32, f32)> = Vec::new();
    let at = |x: usize, y: usize| small[y * sw + x];
    let mut total = 0.0f64;
    for y in 1..sh - 1 {
        for x in 1..sw - 1 {
            let gx = at(x + 1, y - 1) + 2.0 * at(x + 1, y) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2.0 * at(x - 1, y)
                - at(x - 1, y + 1);
            let gy = at(x - 1, y + 1) + 2.0 * at(x, y + 1) + at(x + 1, y + 1)
                - at(x - 1, y - 1)
                - 2.0 * at(x, y - 1)
                - at(x + 1, y - 1);
            let m = (gx * gx + gy * gy).sqrt();
            total += f64::from(m);
            grads.push((x, y, m, gy.atan2(gx)));
        }
    }
    let mean = (total / grads.len().max(1) as f64) as f32;
    let floor = (mean * 2.5).max(40.0);
    // Hough: θ in whole degrees 0..180, ρ in pixels, offset so it is never negative.
    let diag = ((sw * sw + sh * sh) as f32).sqrt().ceil() as usize;
    let rhos = 2 * diag + 1;
    let mut acc = vec![0f32; 180 * rhos];
    let trig: Vec<(f32, f32)> = (0..180)
        .map(|t| (t as f32).to_radians().sin_cos())
        .collect();
    for &(x, y, m, dir) in &grads {
        if m < floor {
            continue;
        }
        // The normal's direction, folded into 0..180.
        let normal = dir.to_degrees().rem_euclid(180.0);
        let centre = normal.round() as isize;
        for d in -3..=3 {
            let t = (centre + d).rem_euclid(180) as usize;
            let (sin, cos) = trig[t];
            let rho = x as f32 * cos + y as f32 * sin;
            let r = (rho.round() as isize + diag as isize) as usize;
            if let Some(cell) = acc.get_mut(t * rhos + r) {
                *cell += m;
            }
        }
    }
    // Peaks, strongest first, suppressing neighbours.
    let mut peaks: Vec<Side> = Vec::new();
    // Only cells that are the largest of their 3×3 neighbourhood, and at least a
    // tenth of the strongest, are sorted.
    let strongest = acc.iter().copied().fold(0.0f32, f32::max);
    let local_max = |i: usize| {
        let (t, r) = ((i / rhos) as isize, (i % rhos) as isize);
        (-1..=1).all(|dt| {
            (-1..=1).all(|dr| {
                let (tt, rr) = (t + dt, r + dr);
                (dt == 0 && dr == 0)
                    || tt < 0
                    || rr < 0
                    || tt >= 180
                    || rr >= rhos as isize
                    || acc[tt as usize * rhos + rr as usize] <= acc[i]
            })
        })
    };
    let mut order: Vec<usize> = (0..acc.len())
        .filter(|&i| acc[i] > 0.0 && acc[i] >= strongest / 10.0 && local_max(i))
        .collect();
    order.sort_unstable_by(|&a, &b| acc[b].total_cmp(&acc[a]));
    for i in order {
        if peaks.len() >= 12 {
            break;
        }
        let (t, r) = (i / rhos, i % rhos);
        let side = Side {
            theta: t as f32,
            rho: r as f32 - diag as f32,
            votes: acc[i],
        };
        let near = peaks.iter().any(|p| {
            let dt = (p.theta - side.theta).abs();
            let wrapped = dt > 90.0;
            let dt = dt.min(180.0 - dt);
            let dr = if wrapped {
                (p.rho + side.rho).abs()
            } else {
                (p.rho - side.rho).abs()
            };
            dt < 8.0 && dr < 8.0
        });
        if !near {
            peaks.push(side);
        }
    }
    peaks
}

/// Where two sides cross.
fn cross(a: &Side, b: &Side) -> Option<Point> {
    let (sa, ca) = a.theta.to_radians().sin_cos();
    let (sb, cb) = b.theta.to_radians().sin_cos();
    let det = ca * sb - sa * cb;
    if det.abs() < 1e-3 {
        return None;
    }
    Some((
        (a.rho * sb - b.rho * sa) / det,
        (ca * b.rho - cb * a.rho) / det,
    ))
}

/// The quadrilateral the four sides enclose: top-left, top-right, bottom-right, bottom-left.
fn corners(top: &Side, right: &Side, bottom: &Side, left: &Side) -> Option<[Point; 4]> {
    Some([
        cross(top, left)?,
        cross(top, right)?,
        cross(bottom, right)?,
        cross(bottom, left)?,
    ])
}

fn distance(a: Point, b: Point) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// The shape whose proportions the quadrilateral has (within what a tilted
/// camera makes of them), if it lies in the frame and fills at least a tenth of it.
fn plausible(quad: &[Point; 4], sw: usize, sh: usize) -> Option<Shape> {
    let margin = 0.05 * sw as f32;
    let inside = quad.iter().all(|&(x, y)| {
        x > -margin && y > -margin && x < sw as f32 + margin && y < sh as f32 + margin
    });
    let [tl, tr, br, bl] = *quad;
    let width = (distance(tl, tr) + distance(bl, br)) / 2.0;
    let height = (distance(tl, bl) + distance(tr, br)) / 2.0;
    // Opposite sides of about the same length: a rectangle seen at a moderate angle.
    let even = distance(tl, tr) / distance(bl, br).max(1.0);
    let even_v = distance(tl, bl) / distance(tr, br).max(1.0);
    if !inside
        || height < 1.0
        || !(0.75..1.33).contains(&even)
        || !(0.75..1.33).contains(&even_v)
        || width * height < 0.1 * (sw * sh) as f32
    {
        return None;
    }
    let aspect = width / height;
    [Shape::Id1, Shape::Id3]
        .into_iter()
        .map(|s| (s, (aspect / s.aspect()).ln().abs()))
        .filter(|&(_, off)| off < 0.18)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(s, _)| s)
}

/// The homography taking `from[i]` to `to[i]`, as a row-major 3×3 with the
/// last entry 1; `None` when three of the points are in a line.
pub fn homography(from: &[Point; 4], to: &[Point; 4]) -> Option<[f64; 9]> {
    // Eight equations in h0..h7: the direct linear transform.
    let mut m = [[0f64; 9]; 8];
    for i in 0..4 {
        let (x, y) = (f64::from(from[i].0), f64::from(from[i].1));
        let (u, v) = (f64::from(to[i].0), f64::from(to[i].1));
        m[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        m[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() < 1e-9 {
            return None;
        }
        m.swap(col, pivot);
        let pivot_row = m[col];
        for (r, row) in m.iter_mut().enumerate() {
            if r != col {
                let k = row[col] / pivot_row[col];
                for (target, &p) in row.iter_mut().zip(pivot_row.iter()).skip(col) {
                    *target -= k * p;
                }
            }
        }
    }
    let mut h = [1f64; 9];
    for (i, (value, row)) in h.iter_mut().zip(m.iter()).enumerate() {
        *value = row[8] / row[i];
    }
    Some(h)
}

/// `p` through the homography `h`.
pub fn apply(h: &[f64; 9], p: Point) -> Point {
    let (x, y) = (f64::from(p.0), f64::from(p.1));
    let w = h[6] * x + h[7] * y + h[8];
    (
        ((h[0] * x + h[1] * y + h[2]) / w) as f32,
        ((h[3] * x + h[4] * y + h[5]) / w) as f32,
    )
}

/// The document at `corners` cut out of `image` and straightened to `width`
/// pixels wide, its height from `shape`: row-major gray pixels, and the height.
pub fn straighten(
    image: &Gray,
    corners: &[Point; 4],
    shape: Shape,
    width: usize,
) -> Option<(Vec<u8>, usize)> {
    let height = ((width as f32 / shape.aspect()).round() as usize).max(1);
    let pixels = straighten_rows(image, corners, shape, width, 0..height)?;
    Some((pixels, height))
}

/// Rows `rows` of the document at `corners` straightened to `width` pixels
/// wide (its height from `shape`), row-major gray pixels.
fn straighten_rows(
    image: &Gray,
    corners: &[Point; 4],
    shape: Shape,
    width: usize,
    rows: std::ops::Range<usize>,
) -> Option<Vec<u8>> {
    let height = ((width as f32 / shape.aspect()).round() as usize).max(1);
    let rect = [
        (0.0, 0.0),
        (width as f32, 0.0),
        (width as f32, height as f32),
        (0.0, height as f32),
    ];
    let h = homography(&rect, corners)?;
    let (w, ih, px) = (image.width(), image.height(), image.pixels());
    let sample = |x: f32, y: f32| -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let get = |xx: f32, yy: f32| -> f32 {
            if xx < 0.0 || yy < 0.0 || xx as usize >= w || yy as usize >= ih {
                0.0
            } else {
                f32::from(px[yy as usize * w + xx as usize])
            }
        };
        get(x0, y0) * (1.0 - fx) * (1.0 - fy)
            + get(x0 + 1.0, y0) * fx * (1.0 - fy)
            + get(x0, y0 + 1.0) * (1.0 - fx) * fy
            + get(x0 + 1.0, y0 + 1.0) * fx * fy
    };
    let mut out = Vec::with_capacity(width * rows.len());
    for v in rows {
        for u in 0..width {
            let (x, y) = apply(&h, (u as f32 + 0.5, v as f32 + 0.5));
            out.push(sample(x - 0.5, y - 0.5).round().clamp(0.0, 255.0) as u8);
        }
    }
    Some(out)
}

/// The width a document is straightened to before its zone is read: at least
/// the 1000 pixels an upload of the crop should have on its long side.
pub const STRAIGHT_WIDTH: usize = 1000;

/// Reads the machine-readable zone at the foot of the document at `corners`:
/// the page straightened as `shape`, its lower third less a margin at each side
/// (where the desk may show past a corner found a few pixels out).
pub fn read_zone(
    image: &Gray,
    corners: &[Point; 4],
    shape: Shape,
    today: super::mrz::Date,
) -> Result<super::ocrb::Reading, super::ocrb::ReadError> {
    use super::ocrb::{read, ReadError};
    let height = ((STRAIGHT_WIDTH as f32 / shape.aspect()).round() as usize).max(1);
    let (top, inset) = (height * 2 / 3, STRAIGHT_WIDTH * 3 / 100);
    let width = STRAIGHT_WIDTH - 2 * inset;
    let page = straighten_rows(image, corners, shape, STRAIGHT_WIDTH, top..height)
        .ok_or(ReadError::NoInk)?;
    let foot: Vec<u8> = page
        .chunks(STRAIGHT_WIDTH)
        .flat_map(|row| row.get(inset..inset + width).unwrap_or(&[]).iter().copied())
        .collect();
    let foot = Gray::new(width, foot.len() / width, &foot).ok_or(ReadError::NoInk)?;
    read(&foot, today)
}

/// What the document reader found in a preview frame: the machine-readable
/// zone (MRZ) of ICAO 9303, or its absence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zone {
    /// No zone in sight (no document outline, or no zone-like lines on it).
    Absent,
    /// Lines that look like a zone but do not read as a valid one yet (blur,
    /// glare, a character in doubt).
    Unreadable,
    /// A zone read with every check digit passing.
    Valid(ZoneRead),
}

/// A zone read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneRead {
    /// A TD1 zone: the back of an identity card (TD2 and TD3 zones are on the
    /// document's data page, its front).
    pub card_back: bool,
    /// The document expired before the day it was read.
    pub expired: bool,
    /// Its fields as a JSON object, given to the host only with `expose-mrz`.
    pub fields: String,
}

impl Zone {
    /// The zone as one number, for the boundary of the reader module (which
    /// hands its fields over apart): 0 absent, 1 unreadable, 2 valid, plus 4 for
    /// a card's back and 8 for an expired document.
    pub fn code(&self) -> u32 {
        match self {
            Zone::Absent => 0,
            Zone::Unreadable => 1,
            Zone::Valid(read) => 2 | u32::from(read.card_back) << 2 | u32::from(read.expired) << 3,
        }
    }

    /// The zone a [`Zone::code`] and its fields stand for; `None` for a number
    /// no zone has (a reader module of another version).
    pub fn from_code(code: u32, fields: String) -> Option<Zone> {
        match code {
            0 => Some(Zone::Absent),
            1 => Some(Zone::Unreadable),
            c if c & 3 == 2 && c < 16 => Some(Zone::Valid(ZoneRead {
                card_back: c & 4 != 0,
                expired: c & 8 != 0,
                fields,
            })),
            _ => None,
        }
    }
}

/// What a preview frame shows of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    /// Its outline, when one stands out (drawn over the preview).
    pub outline: Option<Outline>,
    /// Its zone.
    pub zone: Zone,
}

/// What a preview frame shows of a document's zone: the document located,
/// its zone read and checked against `today`, summed up for the capture's
/// hints and auto-capture.
pub fn survey(image: &Gray, today: super::mrz::Date) -> Zone {
    survey_frame(image, today).zone
}

/// [`survey`], with the outline it found: the reader module's work, a frame at a time.
pub fn survey_frame(image: &Gray, today: super::mrz::Date) -> Survey {
    let outline = locate(image);
    let zone = outline.map_or(Zone::Absent, |o| zone_at(image, &o, today));
    Survey { outline, zone }
}

fn zone_at(image: &Gray, outline: &Outline, today: super::mrz::Date) -> Zone {
    use super::ocrb::ReadError;
    match read_zone(image, &outline.corners, outline.shape, today) {
        Ok(reading) => Zone::Valid(ZoneRead {
            card_back: reading.mrz.format == super::mrz::Format::Td1,
            expired: reading.mrz.is_expired(today),
            fields: reading.mrz.to_json(),
        }),
        Err(ReadError::Ambiguous { .. }) => Zone::Unreadable,
        Err(ReadError::Invalid { lines, .. }) if looks_like_zone(&lines) => Zone::Unreadable,
        Err(_) => Zone::Absent,
    }
}

/// [`survey_frame`] of an RGBA frame (a canvas's pixels), through its luma.
pub fn survey_rgba(rgba: &[u8], width: usize, height: usize, today: super::mrz::Date) -> Survey {
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8)
        .collect();
    match Gray::new(width, height, &luma) {
        Some(gray) => survey_frame(&gray, today),
        None => Survey {
            outline: None,
            zone: Zone::Absent,
        },
    }
}

/// Whether lines that did not read as a valid zone still look like one: a
/// zone's fillers come in runs (`<<` between names, `<<<…` to the line's end),
/// which other printed text does not have.
pub fn looks_like_zone<S: AsRef<str>>(lines: &[S]) -> bool {
    let fillers: usize = lines
        .iter()
        .map(|l| l.as_ref().bytes().filter(|b| *b == b'<').count())
        .sum();
    fillers >= 6 && lines.iter().any(|l| l.as_ref().contains("<<<"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "document_tests.rs"]
mod tests;
