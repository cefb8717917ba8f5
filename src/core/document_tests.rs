//! The locator on synthetic frames: a card or passport page (light, with text
//! blocks, a photo and an OCR-B zone at its foot) put into a 1280×720 frame of
//! a darker, noisy desk through a random perspective, then blurred and noised.
//! Its corners are known, so each found corner's distance from the truth is
//! measured against the document's diagonal.

use super::super::mrz::Format;
use super::super::ocrb::tests::{today, zone, Font, Img, Rng};
use super::super::ocrb::Gray;
use super::*;

const FW: usize = 1280;
const FH: usize = 720;

/// A document of `shape`, `width` pixels wide, with the zone's `lines` at its foot.
pub(crate) fn document(
    font: &mut Font,
    shape: Shape,
    width: usize,
    lines: &[String],
    rng: &mut Rng,
) -> Img {
    let height = (width as f32 / shape.aspect()).round() as usize;
    let mut px = vec![0u8; width * height];
    for y in 0..height {
        for x in 0..width {
            // Paper with a faint printed pattern.
            let wave = ((x as f32 / 17.0).sin() + (y as f32 / 23.0).cos()) * 4.0;
            px[y * width + x] = (212.0 + wave) as u8;
        }
    }
    let mut fill = |x0: usize, y0: usize, w: usize, h: usize, v: u8| {
        for y in y0..(y0 + h).min(height) {
            for x in x0..(x0 + w).min(width) {
                px[y * width + x] = v;
            }
        }
    };
    // A photo, and lines of printed data beside it.
    fill(width / 20, height / 6, width / 4, height * 2 / 5, 95);
    for i in 0..5 {
        let len = width / 4 + (rng.below(width as u64 / 4) as usize);
        fill(
            width / 3,
            height / 6 + i * height / 14,
            len,
            height / 40,
            70,
        );
    }
    // The zone across the foot, 90% of the width.
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let probe = font.render(&refs, 20.0, 0.0);
    let px_size = 20.0 * (width as f32 * 0.92) / probe.w as f32;
    let mrz = font.render(&refs, px_size, 0.0);
    let (mx, my) = (
        (width.saturating_sub(mrz.w)) / 2,
        height.saturating_sub(mrz.h + height / 40),
    );
    for y in 0..mrz.h {
        for x in 0..mrz.w {
            if my + y < height && mx + x < width {
                px[(my + y) * width + mx + x] = mrz.px[y * mrz.w + x].min(218);
            }
        }
    }
    Img {
        w: width,
        h: height,
        px,
    }
}

/// The document put into a frame with its corners at `corners`, on a desk.
pub(crate) fn frame(doc: &Img, corners: &[Point; 4], rng: &mut Rng) -> Img {
    let rect = [
        (0.0, 0.0),
        (doc.w as f32, 0.0),
        (doc.w as f32, doc.h as f32),
        (0.0, doc.h as f32),
    ];
    let to_doc = homography(corners, &rect).unwrap();
    let mut px = vec![0u8; FW * FH];
    for y in 0..FH {
        for x in 0..FW {
            let (u, v) = apply(&to_doc, (x as f32 + 0.5, y as f32 + 0.5));
            let value = if u >= 0.0 && v >= 0.0 && (u as usize) < doc.w && (v as usize) < doc.h {
                f32::from(doc.px[v as usize * doc.w + u as usize])
            } else {
                // A desk: darker, with a grain and a light gradient.
                70.0 + 25.0 * (x as f32 / FW as f32) + ((x * 7 + y * 13) % 11) as f32
            };
            let noise = (rng.unit() * 2.0 - 1.0) * 8.0;
            px[y * FW + x] = (value + noise).clamp(0.0, 255.0) as u8;
        }
    }
    Img { w: FW, h: FH, px }
}

/// Random corners: the document about `fill` of the frame's width, turned by up
/// to ±12°, each corner moved by up to 4% (a camera not quite square to it).
pub(crate) fn placement(shape: Shape, fill: f32, rng: &mut Rng) -> [Point; 4] {
    let w = FW as f32 * fill;
    let h = w / shape.aspect();
    let (cx, cy) = (
        FW as f32 / 2.0 + (rng.unit() - 0.5) * (FW as f32 - w) * 0.6,
        FH as f32 / 2.0 + (rng.unit() - 0.5) * (FH as f32 - h) * 0.4,
    );
    let angle = ((rng.unit() - 0.5) * 24.0).to_radians();
    let (sin, cos) = angle.sin_cos();
    let jitter = w * 0.04;
    [
        (-w / 2.0, -h / 2.0),
        (w / 2.0, -h / 2.0),
        (w / 2.0, h / 2.0),
        (-w / 2.0, h / 2.0),
    ]
    .map(|(x, y)| {
        let (jx, jy) = (
            (rng.unit() - 0.5) * 2.0 * jitter,
            (rng.unit() - 0.5) * 2.0 * jitter,
        );
        (cx + x * cos - y * sin + jx, cy + x * sin + y * cos + jy)
    })
}

/// The largest distance of a found corner from its true one, over the diagonal.
fn corner_error(found: &[Point; 4], truth: &[Point; 4]) -> f32 {
    let diagonal = distance(truth[0], truth[2]).max(distance(truth[1], truth[3]));
    found
        .iter()
        .zip(truth)
        .map(|(&a, &b)| distance(a, b))
        .fold(0.0, f32::max)
        / diagonal
}

#[test]
fn a_homography_maps_its_four_points_and_refuses_a_line() {
    let from = [(0.0, 0.0), (100.0, 0.0), (100.0, 60.0), (0.0, 60.0)];
    let to = [(12.0, 30.0), (130.0, 22.0), (125.0, 95.0), (8.0, 90.0)];
    let h = homography(&from, &to).unwrap();
    for (a, b) in from.iter().zip(&to) {
        let p = apply(&h, *a);
        assert!(distance(p, *b) < 1e-3, "{a:?} went to {p:?}, not {b:?}");
    }
    let line = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)];
    assert!(homography(&line, &to).is_none());
}

#[test]
fn corners_are_found_within_two_percent_of_the_diagonal() {
    let mut font = Font::load();
    let mut rng = Rng(41);
    let (mut within, mut total, mut worst, mut shapes) = (0, 0, 0.0f32, 0usize);
    for i in 0..24 {
        let shape = if i % 2 == 0 { Shape::Id1 } else { Shape::Id3 };
        let format = if shape == Shape::Id1 {
            Format::Td1
        } else {
            Format::Td3
        };
        let lines = zone(&mut rng, format);
        let doc = document(&mut font, shape, 900, &lines, &mut rng);
        let fill = 0.5 + rng.unit() * 0.2;
        let truth = placement(shape, fill, &mut rng);
        let image = frame(&doc, &truth, &mut rng);
        total += 1;
        match locate(&Gray::new(image.w, image.h, &image.px).unwrap()) {
            Some(outline) => {
                let error = corner_error(&outline.corners, &truth);
                worst = worst.max(error);
                if error <= 0.02 {
                    within += 1;
                }
                shapes += usize::from(outline.shape == shape);
            }
            None => eprintln!("frame {i}: no outline"),
        }
    }
    eprintln!(
        "corners within 2% of the diagonal: {within}/{total}, worst {:.1}%; format guessed right {shapes}/{total}",
        worst * 100.0
    );
    assert!(
        within * 100 >= total * 95,
        "{within} of {total} outlines within 2%"
    );
}

#[test]
fn a_frame_without_a_document_has_no_outline() {
    let mut rng = Rng(5);
    let px: Vec<u8> = (0..FW * FH)
        .map(|i| (80.0 + (rng.unit() * 2.0 - 1.0) * 10.0 + ((i % 97) as f32 / 10.0)) as u8)
        .collect();
    assert_eq!(locate(&Gray::new(FW, FH, &px).unwrap()), None);
    assert_eq!(locate(&Gray::new(20, 20, &[0; 400]).unwrap()), None);
}

#[test]
fn a_straightened_document_reads_its_zone() {
    let mut font = Font::load();
    let mut rng = Rng(77);
    for (shape, format) in [(Shape::Id1, Format::Td1), (Shape::Id3, Format::Td3)] {
        let lines = zone(&mut rng, format);
        let doc = document(&mut font, shape, 1100, &lines, &mut rng);
        let truth = placement(shape, 0.6, &mut rng);
        let image = frame(&doc, &truth, &mut rng);
        let gray = Gray::new(image.w, image.h, &image.px).unwrap();
        let outline = locate(&gray).expect("an outline");
        let (crop, height) = straighten(&gray, &outline.corners, shape, STRAIGHT_WIDTH).unwrap();
        assert_eq!(crop.len(), STRAIGHT_WIDTH * height);
        let reading = read_zone(&gray, &outline.corners, shape, today())
            .unwrap_or_else(|e| panic!("{shape:?}: {e:?}"));
        assert_eq!(reading.lines, lines);
    }
}

/// `npm run bench`'s frame figures: 40 synthetic 1280×720 frames (TD1 cards and
/// TD3 pages in turn, placed at random), each located and its zone read; the
/// frames are written to target/mrz-bench/frame-NNN.pgm, with the zones in
/// frames.txt, for the wasm run in Chromium.
#[test]
#[ignore = "a benchmark: npm run bench runs it"]
fn bench_frames() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::path::PathBuf::from(format!("{root}/target/mrz-bench"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut font = Font::load();
    let mut rng = Rng(2027);
    let (mut found, mut read_whole, mut seconds, mut zones) = (0, 0, 0.0f64, Vec::new());
    const FRAMES: usize = 40;
    for i in 0..FRAMES {
        let (shape, format) = if i % 2 == 0 {
            (Shape::Id1, Format::Td1)
        } else {
            (Shape::Id3, Format::Td3)
        };
        let lines = zone(&mut rng, format);
        let doc = document(&mut font, shape, 1100, &lines, &mut rng);
        let truth = placement(shape, 0.55 + rng.unit() * 0.1, &mut rng);
        let image = frame(&doc, &truth, &mut rng);
        let gray = Gray::new(image.w, image.h, &image.px).unwrap();
        let started = std::time::Instant::now();
        let outline = locate(&gray);
        let reading = outline.and_then(|o| read_zone(&gray, &o.corners, shape, today()).ok());
        seconds += started.elapsed().as_secs_f64();
        found += usize::from(outline.is_some_and(|o| corner_error(&o.corners, &truth) <= 0.02));
        read_whole += usize::from(reading.is_some_and(|r| r.lines == lines));
        image.write_pgm(&dir.join(format!("frame-{i:03}.pgm")));
        zones.push(format!(
            "{}:{}",
            if shape == Shape::Id1 { "id1" } else { "id3" },
            lines.join("\n")
        ));
    }
    std::fs::write(dir.join("frames.txt"), zones.join("\n\n")).unwrap();
    let ms = 1000.0 * seconds / FRAMES as f64;
    println!(
        "  frames: {FRAMES} of 1280×720, a document turned up to ±12° and corners moved up to 4%"
    );
    println!("    outline within 2% of the diagonal: {found}/{FRAMES}; zone read whole and valid: {read_whole}/{FRAMES}; locate + straighten + read: {ms:.2} ms a frame");
    println!("ROW\tMRZ in a 1280×720 frame, this reader (native)\t{read_whole}/{FRAMES} read whole, {ms:.2} ms a frame\toutline within 2% in {found}/{FRAMES}; locate, straighten and read");
}

/// A frame of a document with `lines` at its foot, surveyed.
fn survey_of(lines: &[String], shape: Shape, seed: u64) -> crate::core::native::Zone {
    let mut font = Font::load();
    let mut rng = Rng(seed);
    let doc = document(&mut font, shape, 1100, lines, &mut rng);
    let truth = placement(shape, 0.6, &mut rng);
    let image = frame(&doc, &truth, &mut rng);
    survey(&Gray::new(image.w, image.h, &image.px).unwrap(), today())
}

#[test]
fn a_survey_says_which_side_shows_whether_it_expired_and_gives_the_fields() {
    use crate::core::mrz::Mrz;
    use crate::core::native::Zone;
    let mut rng = Rng(31);
    let mut valid = 0;
    for (shape, format) in [(Shape::Id1, Format::Td1), (Shape::Id3, Format::Td3)] {
        for seed in 0..4 {
            let lines = zone(&mut rng, format);
            let mrz = Mrz::parse(&lines, today()).unwrap();
            // A frame may not read (a character in doubt): never as another zone.
            let read = match survey_of(&lines, shape, 100 + seed) {
                Zone::Valid(read) => read,
                Zone::Unreadable => continue,
                Zone::Absent => panic!("{format:?} {seed}: no zone found"),
            };
            valid += 1;
            assert_eq!(
                read.card_back,
                format == Format::Td1,
                "TD1 is a card's back"
            );
            assert_eq!(read.expired, mrz.is_expired(today()));
            assert_eq!(read.fields, mrz.to_json());
            let number = format!(r#""documentNumber":"{}""#, mrz.document_number);
            assert!(read.fields.contains(&number), "{}", read.fields);
        }
    }
    assert!(valid >= 7, "{valid} of 8 frames read");
    // ICAO 9303's specimen passport expired on 15 April 2012.
    let specimen = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<".to_string(),
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10".to_string(),
    ];
    let Zone::Valid(read) = survey_of(&specimen, Shape::Id3, 7) else {
        panic!("the specimen was not read");
    };
    assert!(read.expired && !read.card_back);
    assert!(
        read.fields.contains(r#""expiryDate":"2012-04-15""#),
        "{}",
        read.fields
    );
    assert!(
        read.fields.contains(r#""surname":"ERIKSSON""#),
        "{}",
        read.fields
    );
}

#[test]
fn a_survey_tells_an_unreadable_zone_from_no_zone() {
    use crate::core::native::Zone;
    // The specimen with its document number's check digit wrong (6 for 6 is
    // right; 3 is not): zone-like lines that never pass the checks.
    let broken = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<".to_string(),
        "L898902C33UTO7408122F1204159ZE184226B<<<<<10".to_string(),
    ];
    assert_eq!(survey_of(&broken, Shape::Id3, 8), Zone::Unreadable);
    // Printed lines that are not a zone.
    let prose = [
        "THE HOLDER OF THIS CARD IS A RESIDENT".to_string(),
        "VALID IN EVERY MEMBER STATE 2026 AND ON".to_string(),
    ];
    assert_eq!(survey_of(&prose, Shape::Id1, 9), Zone::Absent);
    // No document at all.
    let blank = vec![90u8; FW * FH];
    assert_eq!(
        survey(&Gray::new(FW, FH, &blank).unwrap(), today()),
        Zone::Absent
    );
}

#[test]
fn zone_like_lines_have_runs_of_fillers() {
    assert!(looks_like_zone(&[
        "P<UTOERIKSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<",
        "L898902C33UTO7408122F1204159ZE184226B<<<<<10"
    ]));
    assert!(!looks_like_zone(&[
        "THE HOLDER OF THIS CARD",
        "VALID IN EVERY STATE"
    ]));
    assert!(
        !looks_like_zone(&["A<B<C<D<E<F<G", "H<I"]),
        "scattered fillers are not runs"
    );
    assert!(!looks_like_zone::<&str>(&[]));
}

#[test]
fn a_canvas_frame_is_surveyed_through_its_luma_and_a_wrong_size_is_no_zone() {
    use crate::core::native::Zone;
    let mut font = Font::load();
    let mut rng = Rng(41);
    let lines = zone(&mut rng, Format::Td3);
    let doc = document(&mut font, Shape::Id3, 1100, &lines, &mut rng);
    let truth = placement(Shape::Id3, 0.6, &mut rng);
    let image = frame(&doc, &truth, &mut rng);
    let rgba: Vec<u8> = image.px.iter().flat_map(|&v| [v, v, v, 255]).collect();
    let gray = survey_frame(&Gray::new(image.w, image.h, &image.px).unwrap(), today());
    assert!(matches!(gray.zone, Zone::Valid(_)), "{gray:?}");
    let outline = gray.outline.expect("an outline");
    assert!(corner_error(&outline.corners, &truth) < 0.02);
    assert_eq!(survey_rgba(&rgba, image.w, image.h, today()), gray);
    let none = Survey {
        outline: None,
        zone: Zone::Absent,
    };
    assert_eq!(survey_rgba(&rgba, image.w + 1, image.h, today()), none);
    assert_eq!(survey_rgba(&[], 0, 0, today()), none);
}

/// A TD3 zone (a passport) for `names`, with every check digit computed.
fn td3(names: &str, number: &str, birth: &str, sex: char, expiry: &str) -> Vec<String> {
    use crate::core::mrz::check_digit;
    let cd = |s: &str| char::from(check_digit(s.as_bytes()));
    let upper = format!("P<UTO{names:<<39}");
    let personal = "<".repeat(14);
    let (n, b, e, p) = (
        format!("{number}{}", cd(number)),
        format!("{birth}{}", cd(birth)),
        format!("{expiry}{}", cd(expiry)),
        format!("{personal}{}", cd(&personal)),
    );
    let composite = cd(&format!("{n}{b}{e}{p}"));
    vec![upper, format!("{n}UTO{b}{sex}{e}{p}{composite}")]
}

/// A TD1 zone (an identity card's back), with every check digit computed.
fn td1(names: &str, number: &str, birth: &str, sex: char, expiry: &str) -> Vec<String> {
    use crate::core::mrz::check_digit;
    let cd = |s: &str| char::from(check_digit(s.as_bytes()));
    let optional = "<".repeat(15);
    let optional_2 = "<".repeat(11);
    let (n, b, e) = (
        format!("{number}{}", cd(number)),
        format!("{birth}{}", cd(birth)),
        format!("{expiry}{}", cd(expiry)),
    );
    let composite = cd(&format!("{n}{optional}{b}{e}{optional_2}"));
    vec![
        format!("IDUTO{n}{optional}"),
        format!("{b}{sex}{e}UTO{optional_2}{composite}"),
        format!("{names:<<30}"),
    ]
}

/// The e2e layer's document videos, 1280×720 Y4M for Chromium's fake camera
/// (`--use-file-for-fake-video-capture`): a passport valid until 2034, the ICAO
/// specimen passport (expired in 2012), and an identity card's back (a TD1
/// zone, valid until 2034). Each is surveyed here first, so a video that does
/// not read natively is never written. Writes only when `VIDEOID_Y4M_DIR` is set:
/// `VIDEOID_Y4M_DIR=dir cargo test --lib write_document_videos -- --ignored`.
#[test]
#[ignore = "writes the e2e layer's videos where VIDEOID_Y4M_DIR says"]
fn write_document_videos() {
    use crate::core::mrz::Mrz;
    use crate::core::native::Zone;
    let Some(dir) = std::env::var_os("VIDEOID_Y4M_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let specimen = vec![
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<".to_string(),
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10".to_string(),
    ];
    let videos = [
        (
            "passport",
            Shape::Id3,
            td3("SPECIMEN<<ANNA", "C01X00T47", "900101", 'F', "340101"),
        ),
        ("expired", Shape::Id3, specimen),
        (
            "card-back",
            Shape::Id1,
            td1("SPECIMEN<<ANNA", "L01X00T47", "900101", 'F', "340101"),
        ),
    ];
    let mut font = Font::load();
    for (name, shape, lines) in videos {
        Mrz::parse(&lines, today()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let mut rng = Rng(2026);
        let doc = document(&mut font, shape, 1100, &lines, &mut rng);
        // Most of the frame, a little turned and off square.
        let w = FW as f32 * 0.7;
        let h = w / shape.aspect();
        let (cx, cy) = (FW as f32 / 2.0, FH as f32 / 2.0);
        let corners = [
            (cx - w / 2.0 + 6.0, cy - h / 2.0 - 10.0),
            (cx + w / 2.0 - 4.0, cy - h / 2.0 + 8.0),
            (cx + w / 2.0 + 8.0, cy + h / 2.0 + 6.0),
            (cx - w / 2.0 - 6.0, cy + h / 2.0 - 4.0),
        ];
        let image = frame(&doc, &corners, &mut rng);
        let zone = survey(&Gray::new(image.w, image.h, &image.px).unwrap(), today());
        assert!(matches!(zone, Zone::Valid(_)), "{name}: {zone:?}");
        // The same frame again and again: the picture is steady.
        let chroma = vec![128u8; (FW / 2) * (FH / 2)];
        let mut y4m = format!("YUV4MPEG2 W{FW} H{FH} F30:1 Ip A1:1 C420jpeg\n").into_bytes();
        for _ in 0..3 {
            y4m.extend_from_slice(b"FRAME\n");
            y4m.extend_from_slice(&image.px);
            y4m.extend_from_slice(&chroma);
            y4m.extend_from_slice(&chroma);
        }
        std::fs::write(dir.join(format!("{name}-1280x720.y4m")), y4m).unwrap();
    }
}

#[test]
fn a_zone_crosses_the_reader_modules_boundary_as_a_number_and_its_fields() {
    use crate::core::native::{Zone, ZoneRead};
    let fields = r#"{"surname":"ERIKSSON"}"#.to_string();
    let mut zones = vec![Zone::Absent, Zone::Unreadable];
    for (card_back, expired) in [(false, false), (true, false), (false, true), (true, true)] {
        zones.push(Zone::Valid(ZoneRead {
            card_back,
            expired,
            fields: fields.clone(),
        }));
    }
    for zone in zones {
        assert_eq!(Zone::from_code(zone.code(), fields.clone()), Some(zone));
    }
    for unknown in [3, 5, 16, 18, u32::MAX] {
        assert_eq!(Zone::from_code(unknown, String::new()), None, "{unknown}");
    }
}
